//go:build unix

package main

import (
	"os"
	"syscall"
)

// openFile opens name for reading, as os.Open does, and reports whether
// it is a regular file. It does not hand the file to the runtime's
// poller: os.Open does, and on Linux that is four fcntl calls and an
// epoll_ctl that a regular file refuses (EPERM), besides the open; with
// the fstat that tells a regular file, openFile makes three system calls
// (open, fstat, os.NewFile's fcntl) where os.Open and File.Stat made
// eight, for each file of a folder of small files (issue 19: 558 files
// of about 33 records each in the shared corpus). Anything else (a FIFO,
// a terminal, a device named on the command line) is read as standard
// input is, blocking, on the goroutine that stoppable gives it.
func openFile(name string) (f *os.File, regular bool, err error) {
	var fd int
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR { // os.Open retries too (Go issues 11180, 39237)
			break
		}
	}
	if err != nil {
		return nil, false, &os.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	regular = syscall.Fstat(fd, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFREG
	return os.NewFile(uintptr(fd), name), regular, nil
}
