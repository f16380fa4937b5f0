package evtx

// Holes: logs preallocate their chunks, and a file copied or archived
// as a sparse file keeps its unused chunks (all zeros) as holes, which
// hold no data on disk and read as zeros (on the shared corpus, 583 of
// the 1,374 chunks: 38 of the files' 92.7 MB). A chunk that lies wholly
// in a hole is exactly an unused chunk, which NextChunk skips: a source
// that can tell where its holes are (a regular file on Linux, by lseek
// SEEK_DATA and SEEK_HOLE: see holes_linux.go) spares reading them,
// copying them and comparing them with zeros. The source is asked only
// about the chunks past those a sound, clean file header counts
// (Reader.counted): Windows wrote the counted ones. Any other source,
// and a file system that cannot tell, reads them as before.

// dataFinder tells where a source's data lies, so that the chunks in
// its holes need not be read. Offsets are the source's (io.ReaderAt).
type dataFinder interface {
	// nextData returns the data region [start, end) that holds the
	// first byte of data at or after off (start >= off), or ok false
	// when the source has none from off to its end. A source that
	// cannot tell returns [off, a very large end).
	nextData(off int64) (start, end int64, ok bool)
}

// skipHoles moves r past the chunks that lie wholly in a hole of its
// source (r.holes), as NextChunk skips them when it reads their zeros,
// and reports whether the source holds data at or after r's offset; it
// asks the source again only once r is past the data region it last
// told.
func (r *Reader) skipHoles() bool {
	at := r.base + r.offset
	if at < r.dataEnd {
		return true
	}
	start, end, ok := r.holes.nextData(at)
	if !ok {
		return false
	}
	if n := (start - at) / ChunkSize; n > 0 { // the chunks before the one start is in
		r.index += int(n)
		r.offset += n * ChunkSize
		r.holeChunks += int(n)
	}
	r.dataEnd = end
	return true
}
