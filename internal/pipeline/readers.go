package pipeline

import (
	"sync"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// readerKey is what a normalize.Reader is made for.
type readerKey struct {
	rs *match.Ruleset
	f  normalize.Format
}

// readers keeps the normalize.Readers of finished runs for the next run
// of the same ruleset and format: making one costs as much as matching
// hundreds of events with many rules, and a directory of small files is a
// run per file.
var readers sync.Map // readerKey → *sync.Pool of *normalize.Reader

// getReader returns a Reader for cfg's ruleset and format.
func getReader(cfg Config) *normalize.Reader {
	key := readerKey{cfg.Ruleset, cfg.Format}
	p, ok := readers.Load(key)
	if !ok {
		p, _ = readers.LoadOrStore(key, &sync.Pool{New: func() any { return normalize.NewReader(key.rs, key.f) }})
	}
	return p.(*sync.Pool).Get().(*normalize.Reader)
}

// putReader gives rd, got for cfg, back for later runs.
func putReader(cfg Config, rd *normalize.Reader) {
	if p, ok := readers.Load(readerKey{cfg.Ruleset, cfg.Format}); ok {
		p.(*sync.Pool).Put(rd)
	}
}
