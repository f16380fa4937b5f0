// Package evtx reads Windows XML Event Log files (.evtx, EVTX 3.1 and
// 3.2) and writes their records as the JSON that evtx-to-JSON tools
// (evtx_dump of the Rust evtx crate, which Chainsaw and Hayabusa use)
// write, the shape ruleforge's rules and the normalize package read.
//
// The format follows libyal's "Windows XML Event Log (EVTX) format"
// notes (section names in the comments) and MS-EVEN6 for array values:
//
//	part            size      what is read and checked
//	file header     4096      "ElfFile\0", version, chunk count, flags (0x1 dirty, 0x2 full), CRC32 of bytes 0-120
//	chunk           65536     "ElfChnk\0", CRC32 of header bytes 0-120 and 128-512, CRC32 of the records
//	record          variable  "**\0\0", size (and its copy at the end), identifier, written FILETIME, binary XML
//	binary XML      tokens    elements, attributes, text, CDATA, character and entity references,
//	                          template instances, substitutions (normal and optional)
//	template        per chunk defined inline at first use, compiled once per chunk, then instantiated
//	                          with each record's substitution values
//
// Chunks are read in file order to the end of the file, whatever the
// header counts (a dirty file's header lags behind its chunks); unused
// chunks (all zeros) are skipped. A chunk with a bad signature, header or
// checksum is reported as an *Error and skipped; a record that cannot be
// read is reported and the next one read; a file that ends inside a
// chunk yields every complete record of it, then an *Error.
//
// Records written without templates (all values as text) are read as
// well. Substitution values keep their types in the JSON: integers, reals
// and booleans as numbers and booleans, HexInt32/64 as "0x…", GUIDs in
// upper case without braces, FILETIME and SYSTEMTIME as
// YYYY-MM-DDTHH:MM:SS.ffffffZ, binary as upper-case hex, SIDs as
// S-1-5-…; an array value repeats its element once per item (MS-EVEN6
// 3.1.4.7.5). Record.AppendJSON documents the JSON shape; Record.Walk hands
// the same members and values to a Visitor, for a program that takes the
// values it needs without JSON text in between (normalize.Reader.ReadEVTX
// fills a rule set's record so).
//
// TestDifferential compares every record of the shared corpus of 558
// files with libevtx's evtxexport, element by element and value by value.
package evtx
