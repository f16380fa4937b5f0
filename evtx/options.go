package evtx

// Option sets a limit of a Decoder (NewDecoder) or of a Reader's
// (NewReader).
type Option func(*limits)

// limits bound what one record may expand to: a record is at most a
// chunk, but templates and binary XML values inside values multiply.
type limits struct {
	depth, nodes, valueBytes int
	plans, planBytes         int  // WithMaxPlans, WithMaxPlanBytes
	noPlans                  bool // WithoutPlans
}

// WithMaxDepth sets how deep elements and binary XML values may nest
// (default MaxDepth).
func WithMaxDepth(n int) Option { return func(l *limits) { l.depth = n } }

// WithMaxNodes sets how many elements, attributes and values a record may
// expand to (default MaxNodes); a record may go through eight times as
// many template nodes and substitution values.
func WithMaxNodes(n int) Option { return func(l *limits) { l.nodes = n } }

// WithMaxValueBytes sets how many bytes of values a record may expand to
// (default MaxValueBytes).
func WithMaxValueBytes(n int) Option { return func(l *limits) { l.valueBytes = n } }

// newLimits returns the defaults with opts applied.
func newLimits(opts []Option) limits {
	l := limits{depth: MaxDepth, nodes: MaxNodes, valueBytes: MaxValueBytes, plans: MaxPlans, planBytes: MaxPlanBytes}
	for _, o := range opts {
		o(&l)
	}
	return l
}

// WithoutPlans reads every record into its tree and walks it, and
// compiles every chunk's templates, as a Decoder did before plans
// (plan.go, tplcache.go): the reference that they are tested against,
// and the baseline of their benchmarks.
func WithoutPlans() Option { return func(l *limits) { l.noPlans = true } }

// WithMaxPlans sets how many plans (shapes of records), template
// identities and compiled templates, of each, a Decoder keeps from chunk
// to chunk (default MaxPlans).
func WithMaxPlans(n int) Option { return func(l *limits) { l.plans = n } }

// WithMaxPlanBytes sets roughly how many bytes the plans, template
// identities and compiled templates a Decoder keeps may take together
// (default MaxPlanBytes).
func WithMaxPlanBytes(n int) Option { return func(l *limits) { l.planBytes = n } }
