// Command ruleforge runs Sigma and EQL detection rules over JSON events.
//
//	ruleforge match [-routing=false] [-pipeline FILE…] [-placeholders FILE…] [-format F] [-workers N] [-max-event BYTES] [-output hits|alert|table|csv] [-sort] [-count] [-explain]
//	                [-min-level L] [-status S,…] [-exclude FILE] [-from T] [-to T] -rules PATH [-rules PATH…] [FILE…]
//	ruleforge check [-routing=false] [-pipeline FILE…] [-placeholders FILE…] PATH…
//	ruleforge explain [-routing=false] [-pipeline FILE…] [-placeholders FILE…] PATH…
//	ruleforge dump FILE.evtx…
//	ruleforge kafka -brokers HOST:PORT[,…] -topic EVENTS -group GROUP -alerts ALERTS -rules PATH… [flags]
//
// match reads events from the files, or standard input, as a stream of
// JSON objects (NDJSON, or concatenated and pretty-printed objects, or
// JSON arrays of them; gzip and UTF-16 with a byte order mark read as
// well) and
// writes one JSON line per (event, rule) match to standard output:
//
//	{"input":"events.json","event":3,"rule_id":"…","title":"…","language":"sigma","severity":"high"}
//
// "event" is the 1-based ordinal of the event in its input. -format
// (auto, ecs, flat, winevent; default auto: detected per event) says how
// to read events; Windows and Sysmon events get an ECS view (package
// normalize) so that EQL rules run on them. Events are
// matched on -workers goroutines (default: one per CPU) and the output
// keeps input order. -output alert writes an ECS-style alert document per
// match instead (rule metadata under rule.*, the event as read under
// event.original); -count writes only, at the end, one line per rule with
// the number of events it matched. Hit lines and alerts carry the event's
// time, computer, channel, event ID and record ID when it has them;
// -output table prints a timeline (time, computer, channel, event ID,
// level, rule and the fields that say what happened) and -output csv the
// same with a header (-sort: rows by event time); a summary by level and
// the rules with the most hits ends the table, or goes to standard error
// for the other outputs.
// -min-level, -status (default: all but deprecated and unsupported) and
// -exclude (a file of rule ids) choose the rules; -from and -to the
// events' time window; -explain adds to each hit the tests that made
// the rule match (field, path, value, comparison); a stateful rule's
// alert has none, since its stages' records are gone when it fires. Bad events are reported on standard
// error with their ordinal and line, counted and skipped; bad rules are
// reported as file:line:col: message. On a terminal, a progress line
// (bytes, events, events per second, hits) is kept on standard error; a
// summary line goes there at the end, counting every event once as
// matched, bad or unmatched.
//
// An input may also be a Windows event log (.evtx, told by its signature),
// whose records are matched as the JSON that dump writes, with "event" the
// record's ordinal in the file (a damaged chunk or record, skipped, counts
// as one event) and "record_id" its EventRecordID (an
// alert's input.record_id is the record header's identifier, which
// re-exported logs renumber); damaged chunks and records are reported,
// counted as bad events and skipped. A directory is walked for .evtx,
// .json, .ndjson and .jsonl files, gzipped or not.
//
// dump writes the records of .evtx files as NDJSON in the shape of
// evtx-to-JSON tools (package evtx).
//
// kafka runs as a member of a Kafka consumer group: it reads JSON events
// from a topic, produces one record per hit to an alerts topic, and keeps
// the state of stateful rules per partition in a compacted topic, until
// SIGINT or SIGTERM (exit 0 after committing); see package kafka and the
// README's scale-out section.
//
// check compiles rules and reports each failure, then
// "checked N rules: K ok, F failed". explain prints a rule's IR and the
// compiled plan: the matcher chosen for every pattern.
//
// -routing=false turns Sigma log source routing off: every Sigma rule is
// then tested against every event, whatever its log source. -pipeline
// applies a pySigma processing pipeline (YAML) to the Sigma rules, in the
// order of the pipelines' priority; -placeholders gives the values of the
// expand modifier's placeholders (name: [values]); a placeholder without
// values matches nothing and is reported as a warning.
//
// Flags may follow file names. match flushes its output whenever the
// input pauses, so a live stream sees its hits at once. On SIGINT or
// SIGTERM it stops reading, writes what it found and its summary, and
// exits 128 plus the signal's number (130, 143).
//
// Exit status: 0 when it ran cleanly, 1 when any rule or event was bad
// (or, for check, any rule failed) or the output could not be written, 2
// on usage errors (a run with no rule files is one).
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK    = 0 // ran; nothing bad
	exitBad   = 1 // a rule or an event was bad
	exitUsage = 2 // the command line was wrong
)

func main() {
	catchSignals = true
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usage is printed for -h and for usage errors.
const usage = `usage:
  ruleforge match [-routing=false] [-pipeline FILE...] [-placeholders FILE...] [-format F] [-workers N] [-max-event BYTES] [-output hits|alert|table|csv] [-sort] [-count] [-explain]
                  [-min-level L] [-status S,...] [-exclude FILE] [-from T] [-to T] -rules PATH [-rules PATH...] [FILE...]
  ruleforge check [-routing=false] [-pipeline FILE...] [-placeholders FILE...] PATH...
  ruleforge explain [-routing=false] [-pipeline FILE...] [-placeholders FILE...] PATH...
  ruleforge dump FILE.evtx...
` + kafkaUsage

// run is the whole program, with its streams passed in for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "match":
		return runMatch(args[1:], stdin, stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "dump":
		return runDump(args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "kafka":
		return runKafka(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "ruleforge: unknown command %q\n%s", args[0], usage)
	return exitUsage
}
