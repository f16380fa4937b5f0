package evtx

import (
	"io"
	"math"
	"os"
	"syscall"
)

// lseek's whence values that find data and holes (Linux 3.1, lseek(2);
// the syscall package does not name them).
const (
	seekData = 3
	seekHole = 4
)

// fileHoles finds the holes of a regular file by lseek SEEK_DATA and
// SEEK_HOLE, in the coordinates of a section of it from base, of size
// bytes (-1: to the file's end).
type fileHoles struct {
	rc         syscall.RawConn
	base, size int64
}

// holesOf returns the dataFinder of ra when it is an *os.File, or a
// section of one: an io.SectionReader, or any source with its Outer
// method (the source it reads, where it starts in it and its size);
// nil otherwise.
func holesOf(ra io.ReaderAt) dataFinder {
	base, size := int64(0), int64(-1)
	if s, ok := ra.(interface {
		Outer() (io.ReaderAt, int64, int64)
	}); ok {
		ra, base, size = s.Outer()
	}
	f, ok := ra.(*os.File)
	if !ok {
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	return &fileHoles{rc: rc, base: base, size: size}
}

// nextData asks the file where its data is, from off. lseek moves the
// file's offset, which Read and Write use (ReadAt does not): it is put
// back where it was. Any error but ENXIO (no data from off: a hole to
// the file's end) means the file system cannot tell: all is data then.
// An off at or past the file's end, which fstat tells, has no data
// either (lseek's ENXIO there: "offset is beyond the end of the file"):
// that is the question a file asks when its header's chunks are all it
// holds (every file of the shared corpus but those with unused chunks),
// one system call where the three lseeks were three. Only a regular
// file is asked: another (a block or character device, whose fstat size
// is 0, and whose lseek may ignore SEEK_DATA) is all data.
func (h *fileHoles) nextData(off int64) (start, end int64, ok bool) {
	start, end, ok = off, math.MaxInt64, true
	var none bool
	err := h.rc.Control(func(fd uintptr) {
		at := int(fd)
		var st syscall.Stat_t
		if err := syscall.Fstat(at, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			return // not a regular file (a device's size is 0): it cannot tell
		}
		if h.base+off >= st.Size {
			none = true
			return
		}
		cur, err := syscall.Seek(at, 0, io.SeekCurrent)
		if err != nil {
			return
		}
		defer syscall.Seek(at, cur, io.SeekStart)
		s, err := syscall.Seek(at, h.base+off, seekData)
		if err == syscall.ENXIO {
			none = true
			return
		}
		if err != nil {
			return
		}
		e, err := syscall.Seek(at, s, seekHole)
		if err != nil {
			return
		}
		start, end = s-h.base, e-h.base
	})
	if err != nil {
		return off, math.MaxInt64, true
	}
	if none || h.size >= 0 && start >= h.size {
		return 0, 0, false
	}
	return start, end, true
}
