package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ruleforge/ruleforge/sigma"
)

// schemaFlags registers the flags that say how rules meet the user's data
// (-placeholders, -pipeline) and returns a function that reads their files once fs
// is parsed, into Sigma options and pipelines. It reports a file that cannot be read on
// w and returns false. The options also send the rules' warnings to w.
func schemaFlags(fs *flag.FlagSet) func(w io.Writer) ([]sigma.Option, []*sigma.Pipeline, bool) {
	var placeholders, pipelines pathList
	fs.Var(&placeholders, "placeholders", "a YAML file of placeholder values for the expand modifier: name: [values] (repeatable)")
	fs.Var(&pipelines, "pipeline", "a pySigma processing pipeline (YAML) applied to the Sigma rules (repeatable; ordered by priority)")
	return func(w io.Writer) ([]sigma.Option, []*sigma.Pipeline, bool) {
		opts := []sigma.Option{sigma.Warnings(func(err error) { fmt.Fprintf(w, "warning: %v\n", err) })}
		var ps []*sigma.Pipeline
		for _, path := range pipelines {
			src, err := os.ReadFile(path)
			if err == nil {
				var p *sigma.Pipeline
				if p, err = sigma.ParsePipeline(path, src); err == nil {
					ps = append(ps, p)
				}
			}
			if err != nil {
				fmt.Fprintln(w, err)
				return nil, nil, false
			}
		}
		if len(placeholders) > 0 {
			all := map[string][]string{}
			for _, p := range placeholders {
				src, err := os.ReadFile(p)
				if err != nil {
					fmt.Fprintln(w, err)
					return nil, nil, false
				}
				m, err := sigma.ReadPlaceholders(p, src)
				if err != nil {
					fmt.Fprintln(w, err)
					return nil, nil, false
				}
				for k, v := range m {
					all[k] = append(all[k], v...)
				}
			}
			opts = append(opts, sigma.Placeholders(all))
		}
		return opts, ps, true
	}
}
