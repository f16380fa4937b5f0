// Package bench holds the benchmarks that compare ruleforge with other
// engines on the same pre-parsed events in the same run. It has no code
// of its own; run it with
//
//	go test ./bench -run '^$' -bench . -benchtime 2s
//
// The SigmaHQ benchmarks need ../shared/corpus beside the repository and
// skip without it.
package bench
