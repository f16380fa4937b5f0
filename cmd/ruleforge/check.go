package main

import (
	"flag"
	"fmt"
	"io"
)

// runCheck is "ruleforge check PATH…".
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	loader := loaderFlags(fs)
	paths, err := parseArgs(fs, args)
	if err != nil {
		return parseStatus(err)
	}
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "ruleforge check: no rule paths\n%s", usage)
		return exitUsage
	}
	ld, ok := loader(stdout)
	if !ok {
		return exitBad
	}
	_, total, bad := loadRules(ld, paths, stdout)
	fmt.Fprintf(stdout, "checked %d rules: %d ok, %d failed\n", total, total-bad, bad)
	if bad > 0 {
		return exitBad
	}
	return exitOK
}
