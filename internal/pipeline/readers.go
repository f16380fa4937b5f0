package pipeline

import (
	"sync"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// readerKey is what a normalize.Reader is made for: a ruleset, a format
// and the extra paths of Config.Paths (told by the slice's first element
// and length: a run's caller makes the slice once).
type readerKey struct {
	rs    *match.Ruleset
	f     normalize.Format
	paths **match.Path
	n     int
}

// keyOf returns the key of cfg's readers.
func keyOf(cfg Config) readerKey {
	k := readerKey{rs: cfg.Ruleset, f: cfg.Format, n: len(cfg.Paths)}
	if k.n > 0 {
		k.paths = &cfg.Paths[0]
	}
	return k
}

// readers keeps the normalize.Readers of finished runs for the next run
// of the same ruleset and format: making one costs as much as matching
// hundreds of events with many rules, and a directory of small files is a
// run per file.
var readers sync.Map // readerKey → *sync.Pool of *normalize.Reader

// getReader returns a Reader for cfg's ruleset, format and paths.
func getReader(cfg Config) *normalize.Reader {
	key := keyOf(cfg)
	p, ok := readers.Load(key)
	if !ok {
		paths := cfg.Paths
		p, _ = readers.LoadOrStore(key, &sync.Pool{New: func() any { return normalize.NewReaderWith(key.rs, key.f, paths) }})
	}
	return p.(*sync.Pool).Get().(*normalize.Reader)
}

// putReader gives rd, got for cfg, back for later runs.
func putReader(cfg Config, rd *normalize.Reader) {
	if p, ok := readers.Load(keyOf(cfg)); ok {
		p.(*sync.Pool).Put(rd)
	}
}
