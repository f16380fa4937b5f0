package pipeline

import (
	"encoding/binary"
	"runtime"
	"sync"
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
	k := readerKey{rs: weak.Make(cfg.Ruleset), f: cfg.Format}
	if len(cfg.Paths) > 0 {
		b := make([]byte, 0, 8*len(cfg.Paths))
		for _, p := range cfg.Paths {
			b = binary.LittleEndian.AppendUint64(b, uint64(uintptr(unsafe.Pointer(p))))
		}
		k.paths = string(b)
	}
	return k
}

// readers keeps the normalize.Readers of finished runs for the next run
// of the same ruleset, format and paths: making one costs as much as
// matching hundreds of events with many rules, and a directory of small
// files is a run per file. A pool's Readers go at the garbage collector's
// pace (sync.Pool), and its entry when its ruleset is collected.
var readers sync.Map // readerKey → *sync.Pool of *normalize.Reader

// getReader returns a Reader for cfg's ruleset, format and paths.
func getReader(cfg Config) *normalize.Reader {
	key := keyOf(cfg)
	p, ok := readers.Load(key)
	if !ok {
		var loaded bool
		if p, loaded = readers.LoadOrStore(key, &sync.Pool{}); !loaded {
			runtime.AddCleanup(cfg.Ruleset, func(k readerKey) { readers.Delete(k) }, key)
		}
	}
	if rd, ok := p.(*sync.Pool).Get().(*normalize.Reader); ok {
		return rd
	}
	return normalize.NewReaderWith(cfg.Ruleset, cfg.Format, cfg.Paths)
}

// putReader gives rd, got for cfg, back for later runs.
func putReader(cfg Config, rd *normalize.Reader) {
	if p, ok := readers.Load(keyOf(cfg)); ok {
		p.(*sync.Pool).Put(rd)
	}
}
