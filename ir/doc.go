// Package ir is ruleforge's shared intermediate representation.
//
// Both front ends, package eql (Elastic EQL) and package sigma (Sigma YAML),
// lower their rules to an [ir.Rule]: metadata plus a boolean expression tree
// ([Expr]) of and, or and not over predicates ([Pred]). Package compile turns
// rules into an executable ruleset; it never sees the source languages.
//
// # Predicates
//
// A predicate names a [Field], a comparison ([Cmp]), the values it compares
// against and whether it is case sensitive. It is true when the field is
// present in the event and the comparison holds for the field's value or,
// when the value is an array, for any element of it, against any of the
// values. A predicate on a missing field is false; [OpNot] turns it true.
//
//	Cmp          values            true when the event value
//	CmpEqual     strings, numbers, equals one of the values (strings never
//	             booleans          expand wildcards)
//	CmpGlob      patterns          matches one pattern as a whole
//	CmpPrefix    patterns          starts with text matching a pattern
//	CmpSuffix    patterns          ends with text matching a pattern
//	CmpContains  patterns          contains text matching a pattern
//	CmpExists    none              is present: not null, not an empty array
//	CmpLT, CmpLE one number or     is less than (or equal to) the value:
//	             string            numbers exactly by Compare (a string that
//	                               spells a number counts as one), strings by
//	                               code point
//	CmpGT, CmpGE as CmpLT          is greater than (or equal to) the value
//	CmpRegex     RE2 sources       has a match of one expression anywhere;
//	                               anchor with ^ and $ for a whole value;
//	                               CaseSensitive false adds (?i)
//	CmpCIDR      CIDR ranges or    is an IPv4 or IPv6 address inside one
//	             single addresses  of the ranges
//
// Patterns ([Pattern]) are a sequence of literal text, "*" (any run of code
// points, possibly empty) and "?" (exactly one code point). Each front end
// parses its own wildcard and escape syntax into this form, so the rest of
// the pipeline has a single meaning for them.
//
// # Fields
//
// A [Field] has the name the rule wrote and the dotted paths that may hold
// its value, tried in order: the first path present in the event is the
// field's value. EQL fields have one path; Sigma fields add the Windows event
// record and ECS locations of the same data. [AnyField] (printed "*") stands
// for every value in the event at any depth, object keys excluded: a
// predicate on it holds when it holds for one of them (Sigma keyword
// searches).
//
// The package has no dependencies beyond the standard library; [Rule.Dump]
// prints a deterministic form used by golden tests.
package ir
