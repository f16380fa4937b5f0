//go:build !unix

package main

import "os"

// openFile opens name for reading and reports whether it is a regular
// file (see openfile_unix.go for why the unix one does it otherwise).
func openFile(name string) (f *os.File, regular bool, err error) {
	if f, err = os.Open(name); err != nil {
		return nil, false, err
	}
	info, err := f.Stat()
	return f, err == nil && info.Mode().IsRegular(), nil
}
