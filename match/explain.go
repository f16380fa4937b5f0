package match

// Reason is one test that made a rule match an event: the field the rule
// names, the path the value was read at, the value that passed (the
// element, when the field holds an array) and the comparison it passed.
type Reason struct {
	Field string // the field as the rule names it; "*" for a keyword search
	Path  string // the dotted path the value was read at; "" for a keyword search
	Value any    // the value, as the event holds it
	Test  string // the comparison that passed: `suffix~ "\mofcomp.exe"`, "number 1", "exists", or the whole test
}

// Explain returns why rule i matches ev: the tests that decided it,
// positive ones only, in the order of the rule's plan as Plan prints it
// (matching may try operands in another order, with the same result). Of
// an and, the reasons of every operand; of an or, those of the first
// operand in that order that holds; a not gives none, since what
// holds there is an absence. A keyword search's reason quotes, of the
// event's values that pass, the one whose text sorts first, whatever
// order the event visits its values in. It returns nil when rule i does
// not match ev, or when i is out of range. Values may share memory with
// ev: a Record's are valid until its next Reset or ResetJSON.
func (rs *Ruleset) Explain(ev Event, i int) []Reason {
	if i < 0 || i >= len(rs.plans) {
		return nil
	}
	reasons, ok := rs.plans[i].Explain(ev)
	if !ok || len(reasons) == 0 {
		return nil
	}
	out := make([]Reason, len(reasons))
	for j, r := range reasons {
		out[j] = Reason(r)
	}
	return out
}
