package pipeline

import (
	"encoding/binary"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// readerKey is what a normalize.Reader is made for: a ruleset, a format
// and the extra paths of Config.Paths (told by their addresses). It holds
// neither the ruleset nor the paths, so that the pool of a ruleset no
// longer in use goes with it (an embedder's Engine.Stream after each
// reload of its rules).
type readerKey struct {
	rs    weak.Pointer[match.Ruleset]
	f     normalize.Format
	paths string // the paths' addresses; a pooled Reader holds its paths, so none is reused while it is pooled
}

// keyOf returns the key of cfg's readers.
func keyOf(cfg Config) readerKey {
	return readerKey{rs: weak.Make(cfg.Ruleset), f: cfg.Format, paths: pathsKey(cfg.Paths)}
}

// lastPaths is the last key pathsKey made: the CLI's runs, one per file
// of a folder, pass the same paths each time, and the key of its 23 to
// 80 paths cost an allocation of 8 bytes a path per run.
var lastPaths atomic.Pointer[string]

// pathsKey returns the paths' addresses as a string (readerKey.paths).
func pathsKey(paths []*match.Path) string {
	if len(paths) == 0 {
		return ""
	}
	if last := lastPaths.Load(); last != nil && len(*last) == 8*len(paths) {
		same := true
		var addr [8]byte
		for i, p := range paths {
			binary.LittleEndian.PutUint64(addr[:], uint64(uintptr(unsafe.Pointer(p))))
			if string(addr[:]) != (*last)[8*i:8*i+8] {
				same = false
				break
			}
		}
		if same {
			return *last
		}
	}
	b := make([]byte, 0, 8*len(paths))
	for _, p := range paths {
		b = binary.LittleEndian.AppendUint64(b, uint64(uintptr(unsafe.Pointer(p))))
	}
	key := string(b)
	lastPaths.Store(&key)
	return key
}

// readers keeps the normalize.Readers of finished runs for the next run
// of the same ruleset, format and paths: making one costs as much as
// matching hundreds of events with many rules, and a directory of small
// files is a run per file. A pool's Readers go at the garbage collector's
// pace (sync.Pool), and its entry when its ruleset is collected.
var readers sync.Map // readerKey → *sync.Pool of *normalize.Reader

// getReader returns a Reader for cfg's ruleset, format and paths, and
// the pool to give it back to once the run is over, for later runs: the
// key (a weak pointer, the paths' key) is made once a run, not again to
// give the Reader back. The pool stays the ruleset's entry in readers
// while the run, holding the ruleset, uses the Reader.
func getReader(cfg Config) (*normalize.Reader, *sync.Pool) {
	key := keyOf(cfg)
	p, ok := readers.Load(key)
	if !ok {
		var loaded bool
		if p, loaded = readers.LoadOrStore(key, &sync.Pool{}); !loaded {
			runtime.AddCleanup(cfg.Ruleset, func(k readerKey) { readers.Delete(k) }, key)
		}
	}
	pool := p.(*sync.Pool)
	if rd, ok := pool.Get().(*normalize.Reader); ok {
		return rd, pool
	}
	return normalize.NewReaderWith(cfg.Ruleset, cfg.Format, cfg.Paths), pool
}
