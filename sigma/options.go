package sigma

// Option changes how ParseRule and ParseFilter load a rule.
type Option func(*config)

// config is the set of options of one ParseRule or ParseFilter call.
type config struct {
	placeholders map[string][]string // values of the expand modifier's placeholders
	routing      bool                // AND the log source's route into the expression
	filters      []*Filter           // filter rules to apply to the rule
	warn         func(error)         // receives warnings; nil drops them
	pipelines    []*Pipeline         // processing pipelines, applied before lowering

	// The limits; see the constants of the same names.
	maxRuleSize       int
	maxConditionSize  int
	maxConditionDepth int
	maxValues         int
	maxRuleValues     int
	maxExprSize       int
	maxGroupEvents    int
}

// defaults returns the configuration without options: routing on, no
// placeholders, no filters, the default limits.
func defaults() config {
	return config{
		routing:           true,
		maxRuleSize:       MaxRuleSize,
		maxConditionSize:  MaxConditionSize,
		maxConditionDepth: MaxConditionDepth,
		maxValues:         MaxValues,
		maxRuleValues:     MaxRuleValues,
		maxExprSize:       MaxExprSize,
		maxGroupEvents:    MaxGroupEvents,
	}
}

// Placeholders gives the values of the placeholders that the expand
// modifier replaces: "%name%" in a value with the expand modifier stands
// for any of m["name"]. Each value is a Sigma string, so "*" and "?" are
// wildcards in it. A placeholder that m does not name, or names with no
// values, matches nothing: the rule loads, a filter built on it excludes
// nothing, and a placeholder that m does not name is reported once per
// rule to the Warnings function. The map is read, never changed, and may
// be shared.
func Placeholders(m map[string][]string) Option {
	return func(c *config) { c.placeholders = m }
}

// Warnings sets the function that receives what is odd in a rule that
// still loads (an *ir.Error with the position, such as a placeholder
// without values); without it warnings are dropped. It is called during
// ParseRule, ParseFile and ParseFilter, from the calling goroutine.
func Warnings(fn func(error)) Option {
	return func(c *config) { c.warn = fn }
}

// Routing turns log source routing on (the default) or off. With routing,
// a rule's expression is and(route, detection), where route holds for the
// events that its logsource (category, product, service) describes: the
// Windows event records of the matching channel and event ID, Winlogbeat
// and ECS events of the matching kind, and events of no known shape. See
// the package documentation for the table. Without routing, the rule is
// its detection alone and is tested against every event.
func Routing(on bool) Option {
	return func(c *config) { c.routing = on }
}

// WithFilters applies filter rules (see ParseFilter) while the rule is
// loaded: each filter that names the rule (or names no rules) and whose log
// source covers the rule's is ANDed into its expression. Unlike
// Filter.Apply, this checks the log source, which the lowered rule no
// longer carries.
func WithFilters(fs ...*Filter) Option {
	return func(c *config) { c.filters = append(c.filters, fs...) }
}

// set sets a limit to n, or to its default def when n is below 1.
func set(limit *int, n, def int) {
	if n < 1 {
		n = def
	}
	*limit = n
}

// WithMaxRuleSize sets the most bytes a rule file may have (default
// MaxRuleSize); n < 1 restores the default.
func WithMaxRuleSize(n int) Option {
	return func(c *config) { set(&c.maxRuleSize, n, MaxRuleSize) }
}

// WithMaxConditionSize sets the most bytes one condition expression may
// have (default MaxConditionSize); n < 1 restores the default.
func WithMaxConditionSize(n int) Option {
	return func(c *config) { set(&c.maxConditionSize, n, MaxConditionSize) }
}

// WithMaxConditionDepth sets how deeply parentheses and "not" may nest in
// a condition (default MaxConditionDepth); n < 1 restores the default. The
// condition parser and the lowering recurse once per level; the condition
// size limit bounds the depth too.
func WithMaxConditionDepth(n int) Option {
	return func(c *config) { set(&c.maxConditionDepth, n, MaxConditionDepth) }
}

// WithMaxValues sets the most values one field of one search may have,
// after modifiers (windash, expand) multiply them (default MaxValues); n <
// 1 restores the default.
func WithMaxValues(n int) Option {
	return func(c *config) { set(&c.maxValues, n, MaxValues) }
}

// WithMaxRuleValues sets the most values all the fields of a rule may have
// together, YAML aliases expanded (default MaxRuleValues); n < 1 restores
// the default.
func WithMaxRuleValues(n int) Option {
	return func(c *config) { set(&c.maxRuleValues, n, MaxRuleValues) }
}

// WithMaxGroupEvents sets the most events or distinct values a
// correlation's condition may need one group to hold (default
// MaxGroupEvents); n < 1 restores the default.
func WithMaxGroupEvents(n int) Option {
	return func(c *config) { set(&c.maxGroupEvents, n, MaxGroupEvents) }
}

// WithMaxExprSize sets the most nodes and values a rule's lowered
// expression may have, each search counted as often as the condition
// names it (default MaxExprSize); n < 1 restores the default.
func WithMaxExprSize(n int) Option {
	return func(c *config) { set(&c.maxExprSize, n, MaxExprSize) }
}
