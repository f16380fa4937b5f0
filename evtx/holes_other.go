//go:build !linux

package evtx

import "io"

// holesOf returns nil: this system's files are read whole, holes too.
func holesOf(io.ReaderAt) dataFinder { return nil }
