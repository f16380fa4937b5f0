package compile

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// ixFuzzFields are the fields FuzzIndex's rules test: nested, read
// through an array of objects (c.d), one with two alternative paths, and
// every value of the event (a keyword search).
var ixFuzzFields = []ir.Field{
	ir.F("a"), ir.F("b"), ir.F("c.d"), ir.F("e"),
	{Name: "x|a", Paths: []string{"x", "a"}}, ir.F("c"), ir.AnyField(),
}

// ixDecoder builds IR rules from fuzz bytes as decoder does, with the
// comparisons the rule index gates: string patterns, regular expressions
// ("!" stands for "|"), numbers, and keyword fields, besides presence and
// order comparisons.
type ixDecoder struct{ decoder }

// expr decodes one expression, at most depth deep.
func (d *ixDecoder) expr(depth int) *ir.Expr {
	b := d.next()
	if depth > 5 {
		b &^= 3
	}
	switch b % 8 {
	case 1:
		return ir.Not(d.expr(depth + 1))
	case 2, 6:
		return ir.And(d.expr(depth+1), d.expr(depth+1))
	case 3:
		return ir.Or(d.expr(depth+1), d.expr(depth+1))
	case 4:
		if b&0x40 != 0 {
			return ir.Or(d.expr(depth+1), d.expr(depth+1), d.expr(depth+1))
		}
		return ir.Const(b&8 != 0)
	}
	return d.pred(b)
}

// pred decodes one predicate; b has picked the case mode, and the next
// byte picks the field and the comparison.
func (d *ixDecoder) pred(b byte) *ir.Expr {
	c := d.next()
	cmps := []ir.Cmp{ir.CmpGlob, ir.CmpPrefix, ir.CmpSuffix, ir.CmpContains, ir.CmpEqual, ir.CmpRegex, ir.CmpEqual, ir.CmpExists, ir.CmpGE}
	p := &ir.Pred{Field: ixFuzzFields[int(c)%len(ixFuzzFields)], Cmp: cmps[int(c>>3)%len(cmps)], CaseSensitive: b&4 != 0}
	if p.Field.Any && p.Cmp == ir.CmpExists {
		p.Cmp = ir.CmpContains
	}
	if p.Cmp == ir.CmpExists {
		return ir.P(p)
	}
	for i := range 1 + int(b>>7) {
		w := d.word()
		switch {
		case p.Cmp == ir.CmpRegex:
			w = strings.ReplaceAll(w, "!", "|") // words cannot hold "|", their separator
			if _, err := regexp.Compile(w); err != nil {
				w = regexp.QuoteMeta(strings.ToValidUTF8(w, "")) // the reference compiles every regex it meets
			}
			p.Values = append(p.Values, ir.Str(w))
		case p.Cmp == ir.CmpEqual && int(c>>3)%len(cmps) == 6, p.Cmp == ir.CmpGE:
			n, err := strconv.ParseFloat(w, 64)
			if err != nil {
				n = float64(len(w) - i)
			}
			p.Values = append(p.Values, ir.Num(n))
		case p.Cmp == ir.CmpEqual:
			p.Values = append(p.Values, ir.Str(w))
		default:
			p.Values = append(p.Values, ir.Glob(pat(w)))
		}
	}
	return ir.P(p)
}

// word returns the word the next byte picks, or "" when there are none.
func (d *ixDecoder) word() string {
	if len(d.words) == 0 {
		return ""
	}
	return d.words[int(d.next())%len(d.words)]
}

// ixFuzzValue turns a word into an event value: a json.Number when it
// spells one in JSON, a float64 or a bool when flag says so, otherwise
// the string.
func ixFuzzValue(w string, flag byte) any {
	switch flag % 4 {
	case 1:
		var n json.Number
		if json.Unmarshal([]byte(w), &n) == nil {
			return n
		}
	case 2:
		if f, err := strconv.ParseFloat(w, 64); err == nil {
			return f
		}
		if w == "" {
			return nil
		}
	case 3:
		if b, err := strconv.ParseBool(w); err == nil {
			return b
		}
	}
	return w
}

// ixFuzzEvents builds the events FuzzIndex matches from words: a nested
// object with arrays (of values, and of objects on the path c.d), as a
// Doc, as a Doc with dotted keys, as a Map and through JSON text.
func ixFuzzEvents(t *testing.T, words []string, flags byte) []match.Event {
	w := func(i int) string { return words[i%len(words)] }
	m := map[string]any{"a": ixFuzzValue(w(0), flags)}
	if len(words) > 1 {
		m["b"] = ixFuzzValue(w(1), flags>>2)
		if len(words) > 3 {
			m["b"] = []any{m["b"], w(3), []any{ixFuzzValue(w(4), flags>>4)}}
		}
	}
	if len(words) > 2 {
		m["c"] = map[string]any{"d": w(2)}
		if len(words) > 4 || flags&0x40 != 0 {
			m["c"] = []any{map[string]any{"d": w(4)}, map[string]any{"d": []any{w(2), nil}}, map[string]any{"z": w(0)}}
		}
	}
	if len(words) > 5 {
		m["e"] = ixFuzzValue(w(5), flags>>6)
	}
	if flags&0x80 != 0 {
		m["x"] = nil
	} else if len(words) > 6 {
		m["x"] = w(6)
	}
	dotted := map[string]any{}
	for k, v := range m {
		dotted[k] = v
	}
	if c, ok := m["c"].(map[string]any); ok {
		delete(dotted, "c")
		dotted["c.d"] = c["d"]
	} else {
		dotted["z.y"] = w(0) // a dot somewhere: the Doc takes the dotted lookup
	}
	evs := []match.Event{match.NewDoc(m), match.NewDoc(dotted), match.Map(m)}
	if data, err := json.Marshal(m); err == nil {
		d, err := match.ParseJSON(data)
		if err != nil {
			t.Fatalf("ParseJSON(%s): %v", data, err)
		}
		evs = append(evs, d)
	}
	return evs
}

// FuzzIndex builds a ruleset from the input, indexed and not, and checks
// on events built from the same words that the indexed ruleset (by Match
// and by MatchRecord) matches exactly the rules the unindexed one does,
// and that both agree with the reference evaluation.
func FuzzIndex(f *testing.F) {
	f.Add([]byte{0x02, 0x00, 0x00, 0x01, 0x10, 0x05, 0x2a, 0x02}, "mofcomp.exe|*.mof|MOFCOMP.EXE|x.mof", byte(0))
	f.Add([]byte{0x83, 0x03, 0x80, 0x06, 0x03, 0x28, 0x00, 0x01}, "\u212a|k|ſ|S|\xff|1", byte(0x41))
	f.Fuzz(func(t *testing.T, prog []byte, text string, flags byte) {
		if len(prog) > 96 || len(text) > 256 || len(prog) == 0 {
			return
		}
		words := strings.Split(text, "|")
		d := &ixDecoder{decoder{prog: prog[1:], words: words}}
		var rules []*ir.Rule
		for i := range 1 + int(prog[0]%8) {
			rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint(i)}, Expr: d.expr(0)})
		}
		if prog[0]&0x80 != 0 { // enough copies that keyword clauses are kept
			n := len(rules)
			for c := range 16 {
				for _, r := range rules[:n] {
					rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint(r.ID, "/", c)}, Expr: r.Expr})
				}
			}
		}
		indexed, err := Compile(rules)
		if err != nil {
			return // a word the compiler rejects, such as a too-long pattern
		}
		plain, err := Compile(rules, switches(hooks.Switches{NoIndex: true}))
		if err != nil {
			t.Fatalf("compiles indexed but not unindexed: %v", err)
		}
		rec := indexed.NewRecord()
		for _, ev := range ixFuzzEvents(t, words, flags) {
			want := plain.Match(ev, nil)
			got := indexed.Match(ev, nil)
			rec.Reset(ev)
			viaRecord := indexed.MatchRecord(rec, nil)
			if !slices.Equal(got, want) || !slices.Equal(viaRecord, want) {
				for _, i := range want {
					if !slices.Contains(got, i) || !slices.Contains(viaRecord, i) {
						clauses, _ := indexed.Gate(i)
						t.Errorf("rule %d missed; gate %q\nrule: %s\nplan:\n%s", i, clauses, rules[i].Expr, indexed.Plan(i))
					}
				}
				t.Fatalf("event %#v:\nindexed Match %v\nMatchRecord   %v\nunindexed     %v", ev, got, viaRecord, want)
			}
			var ref []int
			for i, r := range rules {
				if refeval.Eval(r.Expr, ev) {
					ref = append(ref, i)
				}
			}
			if !slices.Equal(want, ref) {
				t.Fatalf("event %#v: unindexed %v, reference %v (a compiler or matcher difference, not the index's)", ev, want, ref)
			}
		}
	})
}
