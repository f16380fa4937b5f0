package sigma

import (
	"slices"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/ir"
)

// Resolve checks the references of correlation rules against the rules and
// correlations loaded with them (from any file) and fills in each
// reference's target and the fields it reads: a reference names a rule or
// a correlation by its id or its name (specification v2.1, "Related
// rules"). Group-by names and the condition's field resolve as the fields
// of the referenced rule's own searches do (its log source decides the
// Windows and ECS paths), through an alias where the correlation defines
// one for that rule ("Aliases"); for a referenced correlation the name is
// first looked up in that correlation's group.
//
// It returns the correlations that resolved, with Target indexes into
// rules and into that returned list, and one error per correlation that
// did not: a reference that names nothing, that names two different
// rules, or a cycle of correlations. A correlation over one that failed
// fails too.
func Resolve(rules []*ir.Rule, corrs []*ir.Correlation) ([]*ir.Correlation, []error) {
	type target struct {
		corr bool
		i    int
	}
	byRef := map[string][]target{}
	add := func(ref string, t target) {
		if ref == "" {
			return
		}
		for _, u := range byRef[ref] {
			if u == t {
				return
			}
		}
		byRef[ref] = append(byRef[ref], t)
	}
	for i, r := range rules {
		add(r.ID, target{false, i})
		add(r.Name, target{false, i})
	}
	for i, c := range corrs {
		add(c.ID, target{true, i})
		add(c.Name, target{true, i})
	}
	errs := make([]error, len(corrs))
	for i, c := range corrs {
		for j := range c.Rules {
			ref := &c.Rules[j]
			ts := byRef[ref.Ref]
			switch {
			case len(ts) == 0:
				errs[i] = ir.Errorf(ref.Pos, "correlation %q refers to rule %q, which no loaded rule has as its id or name", c.Title, ref.Ref)
			case len(ts) > 1:
				errs[i] = ir.Errorf(ref.Pos, "correlation %q refers to %q, which names %d rules", c.Title, ref.Ref, len(ts))
			case ts[0].corr && ts[0].i == i:
				errs[i] = ir.Errorf(ref.Pos, "correlation %q refers to itself", c.Title)
			}
			if errs[i] != nil {
				break
			}
			ref.Target, ref.IsCorr = ts[0].i, ts[0].corr
		}
	}
	for i, c := range corrs {
		if errs[i] == nil {
			errs[i] = checkChain(c, corrs)
		}
	}
	// A cycle of correlations, or one over a correlation with errors,
	// fails: repeat until nothing changes (depth-first order would do, but
	// the lists are short).
	state := make([]int, len(corrs)) // 0 unvisited, 1 on the path, 2 done
	var visit func(i int) error
	visit = func(i int) error {
		if errs[i] != nil || state[i] == 2 {
			return errs[i]
		}
		state[i] = 1
		for _, ref := range corrs[i].Rules {
			if !ref.IsCorr {
				continue
			}
			if state[ref.Target] == 1 {
				errs[i] = ir.Errorf(ref.Pos, "correlation %q refers to %q, which refers back to it", corrs[i].Title, ref.Ref)
				break
			}
			if err := visit(ref.Target); err != nil {
				errs[i] = ir.Errorf(ref.Pos, "correlation %q refers to %q, which has errors", corrs[i].Title, ref.Ref)
				break
			}
		}
		state[i] = 2
		return errs[i]
	}
	for i := range corrs {
		visit(i)
	}
	// Keep the good ones and renumber the targets.
	index := make([]int, len(corrs))
	var out []*ir.Correlation
	var bad []error
	for i, c := range corrs {
		index[i] = -1
		if errs[i] != nil {
			bad = append(bad, errs[i])
			continue
		}
		index[i] = len(out)
		out = append(out, c)
	}
	for _, c := range out {
		for j := range c.Rules {
			ref := &c.Rules[j]
			if ref.IsCorr {
				ref.Target = index[ref.Target]
			}
			var ls ir.Logsource
			if !ref.IsCorr {
				ls = rules[ref.Target].Logsource
			}
			ref.GroupBy = corrFields(c, j, c.GroupBy, ls)
			ref.Field = corrFields(c, j, c.Field, ls)
		}
	}
	return out, bad
}

// corrFields returns the fields that names read in the events of c's j-th
// rule: each name through its alias for that rule, if any, then as a
// detection field of a rule with log source ls.
func corrFields(c *ir.Correlation, j int, names []string, ls ir.Logsource) []ir.Field {
	if len(names) == 0 {
		return nil
	}
	out := make([]ir.Field, len(names))
	sl := sigmago.Logsource{Category: ls.Category, Product: ls.Product, Service: ls.Service}
	for i, n := range names {
		if a := c.Aliases[n]; a != nil && a[j] != "" {
			n = a[j]
		}
		out[i] = fieldFor(n, sl)
	}
	return out
}

// checkChain checks that each group-by name and field of c that reads a
// referenced correlation's results (its alias for that correlation, if
// any) is in that correlation's group-by: a correlation's result carries
// its group's values only.
func checkChain(c *ir.Correlation, all []*ir.Correlation) error {
	for j, ref := range c.Rules {
		if !ref.IsCorr {
			continue
		}
		inner := all[ref.Target]
		for _, f := range corrFields(c, j, append(slices.Clone(c.GroupBy), c.Field...), ir.Logsource{}) {
			if !slices.Contains(inner.GroupBy, f.Name) {
				return ir.Errorf(ref.Pos, "correlation %q reads %q from correlation %q, which does not group by it", c.Title, f.Name, ref.Ref)
			}
		}
	}
	return nil
}
