package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// Reason is one test that made a plan hold for an event (match.Reason).
type Reason struct {
	Field string // the field as the rule names it; "*" for a keyword search
	Path  string // the dotted path the value was read at; "" for a keyword search
	Value any    // the value, as the event holds it
	Test  string // the comparison that passed
}

// Explain evaluates n for ev as Eval does and, when it holds, returns the
// positive tests that decided it (see match.Ruleset.Explain), in Kids'
// order, whatever order Eval tries them in (Node.Run).
func (n *Node) Explain(ev Event) ([]Reason, bool) {
	var out []Reason
	ok := explain(n, ev, &out)
	return out, ok
}

// explain evaluates n for ev as Node.Eval does and, when it holds,
// appends its reasons to out.
func explain(n *Node, ev Event, out *[]Reason) bool {
	start := len(*out)
	switch n.Op {
	case ir.OpAnd:
		for _, k := range n.Kids {
			if !explain(k, ev, out) {
				*out = (*out)[:start]
				return false
			}
		}
		return true
	case ir.OpOr:
		for _, k := range n.Kids {
			if explain(k, ev, out) {
				return true
			}
		}
		return false
	case ir.OpPred:
		r, ok := n.Test.reason(ev)
		if ok {
			*out = append(*out, r)
		}
		return ok
	}
	return n.Eval(ev)
}

// reason returns the reason t passes for ev, and false when it does not.
func (t *Test) reason(ev Event) (Reason, bool) {
	if !t.Eval(ev) {
		return Reason{}, false
	}
	r := Reason{Field: t.Name, Test: t.String()}
	switch {
	case t.Any:
		r.Field = "*"
		r.Value = anyPassing(t, ev.(Walker)) // Eval passed: ev is a Walker
		r.Test = t.which(r.Value)
		return r, true
	case t.Left != nil || t.Right != nil:
		if t.Left != nil {
			r.Field = t.Left.String()
			r.Path, _ = firstPath(ev, t.Iter)
		} else {
			r.Path, _ = firstPath(ev, t.Paths)
		}
		r.Value, _ = t.passing(ev)
		if t.Right == nil {
			r.Test = t.which(r.Value)
		}
		return r, true
	}
	var v any
	r.Path, v = firstPath(ev, t.Paths)
	switch {
	case t.Exists:
		r.Value, r.Test = v, "exists"
	default:
		anyElement(v, func(e any) bool {
			if t.value(e) {
				r.Value, r.Test = e, t.which(e)
				return true
			}
			return false
		})
	}
	return r, true
}

// anyPassing returns the value of ev that a keyword test t passes for,
// the same whatever order ev's values are visited in: of the values that
// pass, the one whose text (fmt's %v) sorts first, then by type. An event
// decoded into maps (a line Record.ResetJSON cannot read in place, an
// event given as a map) visits its values in Go's map order, which
// changes from run to run: taking the first that passes made -explain
// quote different values for the same line.
func anyPassing(t *Test, ev Walker) any {
	var best any
	var bestText string
	found := false
	ev.Each(func(v any) bool {
		if !t.value(v) {
			return false
		}
		text := fmt.Sprint(v)
		if !found || text < bestText || text == bestText && fmt.Sprintf("%T", v) < fmt.Sprintf("%T", best) {
			best, bestText, found = v, text, true
		}
		return false
	})
	return best
}

// firstPath returns the first of paths that ev holds a value other than
// null at, and the value.
func firstPath(ev Event, paths []*Path) (string, any) {
	for _, p := range paths {
		if v, ok := ev.Lookup(p); ok && v != nil {
			return p.String(), v
		}
	}
	return "", nil
}

// which names the comparison of t that the scalar v passes: the matcher
// (the member of a Set), number, bound or boolean, each tried alone with
// the semantics of Test.value; the whole test when none passes alone.
func (t *Test) which(v any) string {
	for _, m := range t.Strings {
		if !(&Test{Strings: []matcher.Matcher{m}}).value(v) {
			continue
		}
		if s, ok := m.(*matcher.Set); ok {
			for _, member := range s.Members() {
				if (&Test{Strings: []matcher.Matcher{member}}).value(v) {
					return member.String()
				}
			}
		}
		return m.String()
	}
	for _, n := range t.Numbers {
		if (&Test{Numbers: []ir.Number{n}}).value(v) {
			return "number " + n.String()
		}
	}
	for i := range t.Bounds {
		if (&Test{Bounds: t.Bounds[i : i+1]}).value(v) {
			return t.Bounds[i].String()
		}
	}
	for _, b := range t.Bools {
		if (&Test{Bools: []bool{b}}).value(v) {
			return "bool " + strconv.FormatBool(b)
		}
	}
	return strings.TrimSpace(t.String())
}
