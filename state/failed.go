package state

import (
	"errors"
	"fmt"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// failed is build's error: rules that Compile leaves out, and why, one
// error per rule.
type failed struct {
	rules []*ir.Rule
	errs  []*ir.Error
}

// Error prints the first reason.
func (f *failed) Error() string { return f.errs[0].Error() }

// fail is the failure of one rule r with err.
func fail(r *ir.Rule, err error) error {
	var list ir.ErrorList
	list.Add(err)
	return &failed{rules: []*ir.Rule{r}, errs: list}
}

// compileFailed turns compile.Compile's error err, about the rules of
// flat that rs lacks, into the failure of the rules they come from
// (owner, per rule of flat), one error per rule. An error about no rule
// is returned as it is.
func compileFailed(rs *match.Ruleset, err error, flat, owner []*ir.Rule) error {
	var list ir.ErrorList
	if rs == nil || !errors.As(err, &list) || len(list) != len(flat)-rs.Len() {
		return err
	}
	compiled := make(map[*ir.Rule]bool, rs.Len())
	for i := range rs.Len() {
		compiled[rs.Rule(i)] = true
	}
	f := &failed{}
	seen := map[*ir.Rule]bool{}
	k := 0 // list[k] is the error of the k-th rule of flat that failed
	for i, r := range flat {
		if compiled[r] {
			continue
		}
		if o := owner[i]; !seen[o] {
			seen[o] = true
			f.rules, f.errs = append(f.rules, o), append(f.errs, list[k])
		}
		k++
	}
	return f
}

// without returns rules without the rules of bad, and without every
// stateful rule that refers to one left out, each of these with an error
// added to list.
func without(rules, bad []*ir.Rule, list *ir.ErrorList) []*ir.Rule {
	out := map[*ir.Rule]bool{}
	for _, r := range bad {
		out[r] = true
	}
	for changed := true; changed; {
		changed = false
		for _, r := range rules {
			if out[r] || r.State == nil {
				continue
			}
			for j, st := range r.State.Stages() {
				if st.Expr != nil {
					continue
				}
				if ref := findRule(rules, st.Ref); ref != nil && out[ref] {
					out[r], changed = true, true
					*list = append(*list, &ir.Error{Pos: cmpPos(st.Pos, r.Source), Rule: r.ID,
						Msg: fmt.Sprintf("rule %q: stage %d refers to %q, which failed to compile", r.ID, j+1, st.Ref)})
					break
				}
			}
		}
	}
	kept := rules[:0:0]
	for _, r := range rules {
		if !out[r] {
			kept = append(kept, r)
		}
	}
	return kept
}
