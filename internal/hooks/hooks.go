// Package hooks connects packages of the module without widening their
// public API: package match registers how a Ruleset is built from the
// plans package compile makes, and package compile registers the switches
// that turn its stages off, for the differential tests of other packages
// (compiled with and without the optimizer, the matchers' classifier and
// the rule index, every event must get the same answer); and package
// match lets package normalize ask a Record what it holds and fill one
// from an .evtx record (Filler). Each hook is set
// in its package's init, so it is set wherever that package is linked.
package hooks

import (
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// RulesetConfig is how NewRuleset builds a ruleset.
type RulesetConfig struct {
	Unindexed bool         // no rule index: every rule is evaluated for every event, the reference the index is tested against
	Reads     []*plan.Path // paths the ruleset reads besides the rules' (compile.Reads)
}

// NewRuleset builds a *match.Ruleset, returned as any since this package
// cannot name it, from rules and their plans (rule i's is plans[i]). Set
// by package match.
var NewRuleset func(rules []*ir.Rule, plans []*plan.Node, cfg RulesetConfig) (any, error)

// Switches turn stages of the compiler off; the zero value changes
// nothing.
type Switches struct {
	NoOptimize   bool // no optimizer passes, and so no shared subtrees and no index
	NoSpecialize bool // the general glob matcher for every pattern
	NoIndex      bool // no rule index
}

// CompileOption returns a compile.Option, as any since this package cannot
// name it, that applies s. Set by package compile.
var CompileOption func(s Switches) any

// RecordDotted reports whether the *match.Record r, after ResetJSON,
// found a value at one of its paths through a key that holds dots
// ({"process.name": …} for process.name). Set by package match, for
// package normalize.
var RecordDotted func(r any) bool

// RecordHolds reports whether the *match.Record r holds a value at p and
// whether that value is an object, without decoding a value that
// ResetJSON left in the text. Set by package match, for package normalize.
var RecordHolds func(r any, p *plan.Path) (present, object bool)

// Key is a place among the paths of a *match.Record that a Filler fills:
// the root, or a key on the way to one of the paths, numbered among the
// record's keys (distinct keys, distinct numbers, for a caller's caches).
// NoKey is no place: no path runs through it. A Key belongs to the record
// whose Fill returned its root.
type Key int32

// NoKey is the Key of a name that none of a record's paths runs through.
const NoKey Key = -1

// Filler fills a *match.Record from an event that its caller reads
// itself (package normalize, from an .evtx record), as ResetJSON fills it
// from JSON text: the caller walks the event's keys along the record's
// paths (Child) and sets the values that end them, with no text or maps in
// between. Match's Ruleset.MatchRecord then matches the event as it would
// match the event Fill was given. It is not match's API (issue 15): only
// package normalize fills records this way.
type Filler interface {
	// Fill starts filling the record with ev, a match.Event that the
	// caller reads, and returns the root Key: every slot is absent until
	// Set or SetObject gives it a value. Lookup asks ev for the paths
	// without a slot and, on first use, for the objects SetObject
	// marked; the record's Event returns ev.
	Fill(ev any) Key
	// Child returns the Key below k at name, or NoKey. A name holding
	// dots is one key, not a path of its parts: the caller of an event
	// with such keys reads it another way (ResetJSON, Reset).
	Child(k Key, name string) Key
	// Inner reports whether paths run on below k: the event's object
	// there is worth entering. A path running through an array is not
	// followed: such an event is for ResetJSON or Reset.
	Inner(k Key) bool
	// Ends reports whether k ends one of the record's paths.
	Ends(k Key) bool
	// Slot returns the Slot (of the record's Slots) of the path k ends,
	// or NoSlot: a caller that reads the record by slot (normalize's
	// ECS view) learns which of the values it set there it read.
	Slot(k Key) Slot
	// Set gives the event the value v at k, which Lookup returns when k
	// ends a path: a string, a json.Number, a bool, nil, or an []any of
	// them, as ParseJSON decodes them; String, Number and List box them
	// without an allocation. A Key is set once per event.
	Set(k Key, v any)
	// SetSlot is Set at a Key whose Slot is s (not NoSlot): a caller
	// that sets the same Keys event after event (normalize's fill
	// programs) resolves each to its Slot once.
	SetSlot(s Slot, v any)
	// SetObject tells the record that the event holds an object at k:
	// present, an object, no value for the index; Lookup asks the event
	// for it on first use.
	SetObject(k Key)
	// FillValues gives the event its values, for Each and the rule
	// index's keywords: a JSON array of every scalar value of the event,
	// in order, as JSON writes them. text must not change until the
	// record's next Reset, ResetJSON or Fill.
	FillValues(text []byte)
	// Keywords reports whether the record's ruleset scans FillValues's
	// text for keywords in a way that finds each value's keys in its JSON
	// alone: then a value whose JSON Clean finds clean holds no keyword
	// wherever it stands in a record's text, and need not be scanned
	// again while it stays the same (FillValuesLazy). It does not change
	// over the record's life.
	Keywords() bool
	// Clean reports whether the record's keyword scan finds no key in
	// text, one value as FillValuesLazy's text holds it: a string's
	// text between quotes, unescaped, another value's JSON; false unless
	// Keywords.
	Clean(text []byte) bool
	// Plain reports whether text, one value as Clean reads it, is made
	// only of bytes that no key of the record's keyword scan is made of
	// (a time, a number, a GUID: see match's plainBytes), so that the
	// scan finds no key in it; false unless Keywords. It costs a look at
	// each byte, far less than a scan.
	Plain(text []byte) bool
	// FillValuesLazy is FillValues with the text made on first use
	// (Each), by values, and the keyword scan reading text in its place:
	// the values that values' text holds but those known clean (Clean),
	// in order, each as Clean reads it (a string's text, quoted, not its
	// JSON), between '[' and ']', separated by commas. Only when
	// Keywords; neither text nor what values returns may change until
	// the record's next Reset, ResetJSON or Fill.
	FillValuesLazy(text []byte, values func() []byte)
	// ScannedClean reports whether the keyword scan of the event that
	// FillValuesLazy gave its values to (the record's last event, its
	// text still given) has run, every automaton of it, since, and found
	// no key in text: every value in it is clean.
	ScannedClean() bool
	// String, Number and List return s, the json.Number of text and an
	// []any copy of items as interface values held in the record's
	// memory (until its next Reset, ResetJSON or Fill), without an
	// allocation.
	String(s string) any
	Number(text string) any
	List(items []any) any
	// StringAt and NumberAt are String and Number of the string at p,
	// boxed in place, not copied: *p must stay as it is while the record
	// holds the value (until its next Reset, ResetJSON or Fill). So a
	// caller that keeps a value's text from event to event (normalize's
	// fill programs) boxes it once for all the events it comes back in.
	StringAt(p *string) any
	NumberAt(p *string) any
}

// RecordFiller returns the *match.Record r as a Filler. Set by package
// match, for package normalize.
var RecordFiller func(r any) Filler

// Slot is a place among the paths of a *match.Record (Slots.Slot), or
// NoSlot.
type Slot int32

// NoSlot is the Slot of a path that is not one of a record's.
const NoSlot Slot = -1

// Slots reads and adds the values of a *match.Record by slot, each path
// resolved to its slot once (Slot) rather than at every access: package
// normalize reads the sources of an event's ECS view and adds its fields
// this way, for every event. Holds and Lookup are the record's holds and
// Lookup at the slot's path (a NoSlot is absent and takes nothing). Add
// gives the event v at the slot's path where it holds none, as the
// record's Add does, but Each does not visit it: the view is not the
// event as logged, which is all that Sigma's keyword searches read (see
// package normalize). AddString, AddInt and AddStrings add without the
// allocation that converting a string, an int64 or a []string (an array,
// as decoded JSON holds it: []any of strings) to an interface value
// makes: the record keeps it in its own memory until its next Reset,
// ResetJSON or Fill. Each Add reports whether it added the value: the
// event held none at the slot.
//
// HoldObjects is Holds for each of slots in turn, in one call for the
// view's check of its prefixes (normalize.Reader.view): held[i] is
// whether the record holds a value at slots[i], looked up only where
// parent[i] < 0 or held[parent[i]] (a parent comes before its children);
// it reports false, and stops, at the first slot that holds a value that
// is not an object.
//
// Own has Each visit w's values in place of the event's, until the next
// Reset: the event as logged, where the record holds one that Normalize
// added the view to.
type Slots interface {
	Slot(p *plan.Path) Slot
	Holds(s Slot) (present, object bool)
	HoldObjects(slots []Slot, parent []int, held []bool) bool
	Lookup(s Slot) (any, bool)
	Add(s Slot, v any) bool
	AddString(s Slot, str string) bool
	AddInt(s Slot, n int64) bool
	AddStrings(s Slot, ss []string) bool
	Own(w plan.Walker)
}

// RecordSlots returns the *match.Record r as its Slots. Set by package
// match, for package normalize.
var RecordSlots func(r any) Slots

// ReaderFillLimits sets the most fill programs the *normalize.Reader r
// keeps and their steps together, dropping those it keeps: tiny limits
// make every new record shape an eviction, which tests of packages that
// pool Readers (internal/pipeline) count. Set by package normalize.
var ReaderFillLimits func(r any, programs, ops int)
