package files

import (
	"io/fs"
	"os"
)

// seenList is a set of directories compared with os.SameFile, for
// systems where a FileInfo carries no device and inode: each add costs a
// comparison with every directory seen.
type seenList []fs.FileInfo

// add adds the directory info describes and reports whether it is new.
func (l *seenList) add(info fs.FileInfo) bool {
	for _, s := range *l {
		if os.SameFile(s, info) {
			return false
		}
	}
	*l = append(*l, info)
	return true
}
