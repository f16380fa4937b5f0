package main

import (
	"context"

	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/kafka"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// kafkaUsage is the kafka command's line of the usage text.
const kafkaUsage = `  ruleforge kafka -brokers HOST:PORT[,...] -topic EVENTS -group GROUP -alerts ALERTS [-state-topic T] [-session-timeout D] [-commit-interval D] [-stop-timeout D] [-stats-interval D]
                  [-routing=false] [-pipeline FILE.yml...] [-placeholders FILE.yml...] [-format F]
                  [-min-level L] [-status S,...] [-exclude FILE] -rules PATH [-rules PATH...]
`

// runKafka is "ruleforge kafka": a member of a consumer group that runs
// the rules over the events topic and produces alerts (package kafka).
// It runs until SIGINT or SIGTERM, then finishes what it fetched,
// commits, prints its summary and exits 0 (1 when it could not commit
// within -stop-timeout); SIGUSR1 prints the summary at any time. It
// chooses its rules as match does (-min-level, -status, -exclude).
func runKafka(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kafka", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var usr1 chan os.Signal
	if catchSignals { // first: a signal while the rules load is one too
		usr1 = kafkaSignals(cancel)
		defer signal.Stop(usr1)
	}
	var rulePaths pathList
	fs.Var(&rulePaths, "rules", "a rule file or directory (repeatable)")
	brokers := fs.String("brokers", "", "the Kafka brokers to connect to first, HOST:PORT, comma-separated")
	var cfg kafka.Config
	fs.StringVar(&cfg.Topic, "topic", "", "the topic of the events: one JSON object per record value")
	fs.StringVar(&cfg.Group, "group", "", "the consumer group; the members of a group share the partitions")
	fs.StringVar(&cfg.Alerts, "alerts", "", "the topic alerts are produced to (created when missing)")
	fs.StringVar(&cfg.StateTopic, "state-topic", "", "the compacted topic of the stateful rules' state (default ALERTS-state; created when missing)")
	fs.DurationVar(&cfg.SessionTimeout, "session-timeout", 45*time.Second, "how long the group waits for a silent member before giving its partitions to others")
	fs.DurationVar(&cfg.CommitInterval, "commit-interval", kafka.CommitInterval, "the longest a partition's progress stays uncommitted")
	fs.DurationVar(&cfg.StopTimeout, "stop-timeout", kafka.StopTimeout, "the longest a stopping member waits for its last alerts' acks and commits (then it exits 1, its last work not committed)")
	statsEvery := fs.Duration("stats-interval", 0, "print the summary line this often (0: on exit and SIGUSR1 only)")
	format := fs.String("format", "auto", "event format: auto (detected per event), ecs, flat (Windows/Sysmon fields) or winevent (Windows event records)")
	loader := loaderFlags(fs)
	sel := ruleSelectionFlags(fs) // as match chooses its rules
	operands, err := parseArgs(fs, args)
	if err != nil {
		return parseStatus(err)
	}
	var missing []string
	for _, f := range []struct{ name, val string }{{"-brokers", *brokers}, {"-topic", cfg.Topic}, {"-group", cfg.Group}, {"-alerts", cfg.Alerts}} {
		if f.val == "" {
			missing = append(missing, f.name)
		}
	}
	if len(rulePaths) == 0 {
		missing = append(missing, "-rules")
	}
	switch {
	case len(operands) > 0:
		fmt.Fprintf(stderr, "ruleforge kafka: unexpected argument %q: events come from -topic\n%s", operands[0], usage)
		return exitUsage
	case len(missing) > 0:
		fmt.Fprintf(stderr, "ruleforge kafka: no %s given\n%s", strings.Join(missing, ", "), usage)
		return exitUsage
	}
	if cfg.Format, err = normalize.ParseFormat(*format); err != nil {
		fmt.Fprintf(stderr, "ruleforge kafka: -format: %v\n", err)
		return exitUsage
	}
	if err := sel.check(); err != nil {
		fmt.Fprintf(stderr, "ruleforge kafka: %v\n", err)
		return exitUsage
	}
	ld, ok := loader(stderr)
	if !ok {
		return exitBad
	}
	prog, _, _, err := sel.loadRules(ld, rulePaths, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ruleforge kafka: -exclude: %v\n", err)
		return exitUsage
	}
	sel.report(stderr, 0, 0)
	if ruleCountOf(prog) == 0 {
		fmt.Fprintf(stderr, "ruleforge kafka: no rules to run in %s\n", quoteList(rulePaths))
		return exitUsage
	}
	cfg.Program = prog
	fields := newFieldReader(false) // the event's fields of a match hit line
	cfg.Paths = fields.filled
	cfg.Describe = func(rec *match.Record) []byte {
		f := fields.read(rec)
		return hitline.AppendFields(nil, &f.Fields)
	}
	cfg.Opts = []kgo.Opt{kgo.SeedBrokers(strings.Split(*brokers, ",")...)}
	var mu sync.Mutex // stderr's lines, from the partitions' goroutines
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(stderr, "ruleforge kafka: "+format+"\n", args...)
		mu.Unlock()
	}
	cfg.Bad = func(b *kafka.BadRecord) { say("%v; skipped", b) }
	cfg.Logf = say
	c, err := kafka.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "ruleforge %v\n", err)
		return exitBad
	}
	summary := func() {
		s := c.Stats()
		say("%d events, %d hits, %d bad events, %d partitions, lag %d, %d commits, %d state snapshots, %d partitions restored",
			s.Events, s.Hits, s.Bad, s.Partitions, s.Lag, s.Commits, s.Snapshots, s.Restored)
	}
	done := make(chan struct{})
	go func() {
		var tick <-chan time.Time
		if *statsEvery > 0 {
			t := time.NewTicker(*statsEvery)
			defer t.Stop()
			tick = t.C
		}
		for {
			select {
			case <-usr1:
				summary()
			case <-tick:
				summary()
			case <-done:
				return
			}
		}
	}()
	say("%d rules; joining group %s on topic %s", ruleCountOf(prog), cfg.Group, cfg.Topic)
	err = c.Run(ctx)
	close(done)
	summary()
	if err != nil {
		say("%v", err)
		return exitBad
	}
	return exitOK
}

// kafkaSignals cancels the run at the first SIGINT or SIGTERM (a second
// one ends the process at once, as usual) and returns the channel of
// SIGUSR1, which asks for the summary.
func kafkaSignals(cancel context.CancelFunc) chan os.Signal {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel()
	}()
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	return usr1
}
