package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// parseArgs parses args with fs, flags and operands in any order:
// "match events.json -workers 2" reads as "match -workers 2 events.json"
// (the flag package alone stops at the first operand and would take
// "-workers" for a file name). After "--" every argument is an operand.
// It returns the operands; -h and -help give flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return operands, nil
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(operands, rest...), nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}

// parseStatus is the exit status of a command whose flags did not parse:
// asking for help (-h) is no error.
func parseStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// checkWorkers reports a -workers value outside 0 (one per CPU) to
// pipeline.MaxWorkers on stderr and reports whether it is valid.
func checkWorkers(n int, stderr io.Writer) bool {
	if n < 0 || n > pipeline.MaxWorkers {
		fmt.Fprintf(stderr, "ruleforge match: -workers %d: want 0 (one per CPU) to %d\n", n, pipeline.MaxWorkers)
		return false
	}
	return true
}
