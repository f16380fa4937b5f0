package ir

import "strings"

// Cmp is the comparison a predicate makes.
type Cmp uint8

// The comparisons; see the package documentation for their meaning. The
// zero value is invalid.
const (
	CmpInvalid  Cmp = iota
	CmpEqual        // equals a value; strings never expand wildcards
	CmpGlob         // matches a whole pattern
	CmpPrefix       // starts with a pattern
	CmpSuffix       // ends with a pattern
	CmpContains     // contains a pattern
	CmpExists       // the field is present
	CmpLT           // less than the one value
	CmpLE           // less than or equal to the one value
	CmpGT           // greater than the one value
	CmpGE           // greater than or equal to the one value
	CmpRegex        // an RE2 regular expression finds a match in the value
	CmpCIDR         // an IP address inside one of the CIDR ranges
)

// String returns the comparison's name as it appears in dumps.
func (c Cmp) String() string {
	switch c {
	case CmpEqual:
		return "equal"
	case CmpGlob:
		return "glob"
	case CmpPrefix:
		return "prefix"
	case CmpSuffix:
		return "suffix"
	case CmpContains:
		return "contains"
	case CmpExists:
		return "exists"
	case CmpLT:
		return "lt"
	case CmpLE:
		return "le"
	case CmpGT:
		return "gt"
	case CmpGE:
		return "ge"
	case CmpRegex:
		return "regex"
	case CmpCIDR:
		return "cidr"
	}
	return "invalid"
}

// IsPattern reports whether the comparison's string values are patterns.
func (c Cmp) IsPattern() bool {
	return c == CmpGlob || c == CmpPrefix || c == CmpSuffix || c == CmpContains
}

// Holds reports whether r, the result of a three-way comparison of a value
// with an operand (-1 less, 0 equal, 1 greater), satisfies the comparison:
// CmpEqual or an ordering. It is false for every other comparison.
func (c Cmp) Holds(r int) bool {
	switch c {
	case CmpEqual:
		return r == 0
	case CmpLT:
		return r < 0
	case CmpLE:
		return r <= 0
	case CmpGT:
		return r > 0
	case CmpGE:
		return r >= 0
	}
	return false
}

// IsOrder reports whether the comparison is lt, le, gt or ge.
func (c Cmp) IsOrder() bool { return c >= CmpLT && c <= CmpGE }

// Field names the event data a predicate reads.
type Field struct {
	Name  string   // as the rule writes it
	Paths []string // dotted paths tried in order, the first present wins; empty means []string{Name}
	Any   bool     // every value in the event, at any depth (a Sigma keyword search); Paths unused
}

// F returns a field whose only path is its name.
func F(name string) Field { return Field{Name: name} }

// Lookup returns the paths to try, in order.
func (f Field) Lookup() []string {
	if len(f.Paths) == 0 {
		return []string{f.Name}
	}
	return f.Paths
}

// Key returns a string that identifies the field's lookup: two fields with
// the same key read the same data.
func (f Field) Key() string {
	if f.Any {
		return "*"
	}
	return strings.Join(f.Lookup(), "|")
}

// AnyField returns the field that stands for every value in the event.
func AnyField() Field { return Field{Name: "*", Any: true} }

// Pred is a comparison of one field, or of a computed operand, against
// values or against another computed operand.
type Pred struct {
	Field         Field
	Cmp           Cmp
	Values        []Value // any one of them may match; empty for CmpExists and with Right
	CaseSensitive bool    // string comparisons respect case
	Left          *Term   // when set, the operand is this term instead of Field (Field names it for display)
	Right         *Term   // when set, the operand is compared with this term's value instead of Values
}

// String renders the predicate on one line, e.g.
//
//	process.name glob~ "mofcomp.exe"
//	event.type equal ("start", "process_started")
//
// "~" marks a case-insensitive comparison.
func (p *Pred) String() string {
	var b strings.Builder
	if p.Left != nil {
		b.WriteString(p.Left.String())
	} else {
		b.WriteString(p.Field.Name)
	}
	b.WriteByte(' ')
	b.WriteString(p.Cmp.String())
	if p.Cmp == CmpExists {
		return b.String()
	}
	if !p.CaseSensitive {
		b.WriteByte('~')
	}
	b.WriteByte(' ')
	if p.Right != nil {
		b.WriteString(p.Right.String())
		return b.String()
	}
	if len(p.Values) != 1 {
		b.WriteByte('(')
	}
	for i, v := range p.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.String())
	}
	if len(p.Values) != 1 {
		b.WriteByte(')')
	}
	return b.String()
}
