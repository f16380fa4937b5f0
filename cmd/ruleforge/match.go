package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/match"
)

// pathList is a repeatable string flag.
type pathList []string

// String joins the paths.
func (p *pathList) String() string { return strings.Join(*p, ",") }

// Set adds a path.
func (p *pathList) Set(s string) error { *p = append(*p, s); return nil }

// hit is one output line: an (event, rule) match.
type hit struct {
	Input     string `json:"input"`
	Event     int    `json:"event"`
	RuleID    string `json:"rule_id"`
	Title     string `json:"title"`
	Language  string `json:"language"`
	Severity  string `json:"severity"`
	RiskScore *int   `json:"risk_score,omitempty"`
	RuleFile  string `json:"rule_file,omitempty"`
}

// counts is the summary of a match run.
type counts struct {
	events, matched, hits, bad int
}

// runMatch is "ruleforge match -rules PATH… [FILE…]".
func runMatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rulePaths pathList
	fs.Var(&rulePaths, "rules", "a rule file or directory (repeatable)")
	loader := loaderFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if len(rulePaths) == 0 {
		fmt.Fprintf(stderr, "ruleforge match: no -rules given\n%s", usage)
		return exitUsage
	}
	rs, _, badRules := loadRules(loader(), rulePaths, stderr)
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()
	var c counts
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	readErr := false
	for _, name := range inputs {
		r := stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(stderr, "ruleforge: %v\n", err)
				readErr = true
				continue
			}
			r = f
			defer f.Close()
		}
		if err := matchStream(rs, name, r, out, stderr, &c); err != nil {
			fmt.Fprintf(stderr, "ruleforge: %s: %v\n", name, err)
			readErr = true
		}
	}
	out.Flush()
	fmt.Fprintf(stderr, "ruleforge: %d events, %d matched, %d hits, %d bad events, %d rules (%d bad)\n",
		c.events, c.matched, c.hits, c.bad, rs.Len(), badRules)
	if badRules > 0 || c.bad > 0 || readErr {
		return exitBad
	}
	return exitOK
}

// matchStream runs the ruleset over every event of one input.
func matchStream(rs *match.Ruleset, name string, r io.Reader, out *bufio.Writer, stderr io.Writer, c *counts) error {
	sr := stream.NewReader(r)
	var hits []int
	for ordinal := 1; ; ordinal++ {
		v, err := sr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		c.events++
		if v.Truncated {
			c.bad++
			fmt.Fprintf(stderr, "%s: event %d (line %d): larger than %d bytes; skipped\n", name, ordinal, v.Line, stream.MaxValue)
			continue
		}
		ev, err := match.ParseJSON(v.Data)
		if err != nil {
			c.bad++
			fmt.Fprintf(stderr, "%s: event %d (line %d): %v; skipped\n", name, ordinal, v.Line, err)
			continue
		}
		hits = rs.Match(ev, hits[:0])
		if len(hits) > 0 {
			c.matched++
		}
		for _, i := range hits {
			c.hits++
			rule := rs.Rule(i)
			line, _ := json.Marshal(hit{
				Input: name, Event: ordinal, RuleID: rule.ID, Title: rule.Title,
				Language: rule.Lang.String(), Severity: rule.Severity,
				RiskScore: rule.RiskScore, RuleFile: rule.Source.File,
			})
			out.Write(line)
			out.WriteByte('\n')
		}
	}
}
