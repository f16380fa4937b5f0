package sigma

// Option changes how ParseRule and ParseFilter load a rule.
type Option func(*config)

// config is the set of options of one ParseRule or ParseFilter call.
type config struct {
	placeholders map[string][]string // values of the expand modifier's placeholders
	routing      bool                // AND the log source's route into the expression
	filters      []*Filter           // filter rules to apply to the rule
}

// defaults returns the configuration without options: routing on, no
// placeholders, no filters.
func defaults() config {
	return config{routing: true}
}

// Placeholders gives the values of the placeholders that the expand
// modifier replaces: "%name%" in a value with the expand modifier stands
// for any of m["name"]. Each value is a Sigma string, so "*" and "?" are
// wildcards in it. A placeholder that m does not name is an error when the
// rule is loaded. The map is read, never changed, and may be shared.
func Placeholders(m map[string][]string) Option {
	return func(c *config) { c.placeholders = m }
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
