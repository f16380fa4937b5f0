//go:build unix

package files

import (
	"io/fs"
	"syscall"
)

// seen is the set of directories a walk has visited, by device and inode,
// so a tree of many directories costs one map lookup per directory.
type seen struct {
	ids   map[[2]uint64]bool
	other seenList
}

func newSeen() *seen { return &seen{ids: map[[2]uint64]bool{}} }

// add adds the directory info describes and reports whether it is new.
func (s *seen) add(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return s.other.add(info)
	}
	id := [2]uint64{uint64(st.Dev), uint64(st.Ino)}
	if s.ids[id] {
		return false
	}
	s.ids[id] = true
	return true
}
