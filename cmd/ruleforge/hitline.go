package main

import (
	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// appendHit appends the hit line (internal/hitline) of hit k of m's event
// (-1: a stateful rule's alert, with its fields st), event number event
// of input, to dst, with w (which remembers the quoted input and rule
// fields). m may be nil: the event's fields were not read.
func (m *matched) appendHit(w *hitline.Writer, dst []byte, input string, event int, rule *ir.Rule, k int, st []state.Field) []byte {
	info := m.hit(k)
	return w.Append(dst, &hitline.Hit{Input: input, Event: int64(event), Rule: rule,
		Fields: info.Fields, Explain: info.Explain, State: st})
}
