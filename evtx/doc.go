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
//	template        per chunk defined inline at first use, compiled once per Decoder (a later chunk's
//	                          definition with the same bytes but for its names' chunk links is
//	                          taken as compiled), then instantiated with each record's substitution
//	                          values
//
// Chunks are read in file order to the end of the file, whatever the
// header counts (a dirty file's header lags behind its chunks); unused
// chunks are skipped: all zeros, or, past the chunks a sound and clean
// header counts (Windows preallocates a log's chunks), any chunk whose
// 512-byte header is zeros, the rest of which is not compared with
// zeros, nor read from an io.ReaderAt (all 583 unused chunks of the
// shared corpus; TestUnusedByHeader). A chunk with a bad signature,
// header or checksum is reported as an *Error and skipped; a record that
// cannot be read is reported and the next one read; a file that ends
// inside a chunk yields every complete record of it, then an *Error.
// From a source that is an io.ReaderAt and an io.Seeker (an *os.File, a
// *bytes.Reader), a used chunk is read up to its free space offset, where
// its records end (22 of the corpus's 52 MB of used chunks), and the rest
// only when a name or template definition lies past it: Windows never
// writes one there, but a crafted or damaged chunk reads the same as from
// a plain io.Reader (TestLazyPastFree, TestLazySameCorpus, TestDamage).
// A file held in memory is read by NewReaderBytes: its chunks are parts
// of its bytes, not copies (the same tests read every file that way
// too). From a regular file (an *os.File, an io.SectionReader of one, or
// a source with its Outer method) on Linux, the unused chunks that lie
// wholly in the holes of a sparse file (the corpus's 583 unused chunks,
// 38 MB, are holes on disk) are skipped unread: lseek SEEK_DATA tells
// where the file's data is, and holes read as zeros (holes.go,
// TestHoles).
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
// Most records are one template instance whose values change from
// record to record but whose shape does not. A Decoder reads the first
// two records of a shape (the templates, which values are null, empty or
// arrays of how many items, and the same of the template instances in
// binary XML values) into trees and makes a plan of the second: the
// Visitor calls that
// walking such a tree makes, each value a constant or one of the
// record's. The records of that shape that follow, in any chunk or file
// the Decoder reads, are read by the plan: Next reads their substitution
// values and Walk replays the plan with them, no tree built or walked
// (plan.go; Decoder.Stats counts both kinds of records). Records written
// without templates have plans too, their shape being their token
// structure and their values their value tokens (inline.go). On the
// shared corpus, read by one Decoder, 17,101 of 18,270 records are read
// by plans, and reading them into the SigmaHQ Windows rules' records
// costs about 0.55 times the CPU of reading every record into its tree
// (internal/pipeline's BenchmarkReadEVTXVsDump, cpu-evtx/tree). Record.Shape names a record's
// plan, and Record.AppendValues gives its values in Walk's order without
// Visitor calls: a program that works out once per Shape what to do with
// each value does it for the later records from their values alone
// (replay.go; normalize's fill programs).
//
// TestDifferential compares every record of the shared corpus of 558
// files with libevtx's evtxexport, element by element and value by value,
// read into trees (WithoutPlans); TestPlans compares the records read by
// plans with the same records read into trees, Visitor call by call.
package evtx
