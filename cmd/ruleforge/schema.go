package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ruleforge/ruleforge/sigma"
)

// schemaFlags registers the flags that say how rules meet the user's data
// (-placeholders) and returns a function that reads their files once fs
// is parsed, into Sigma options. It reports a file that cannot be read on
// w and returns false. The options also send the rules' warnings to w.
func schemaFlags(fs *flag.FlagSet) func(w io.Writer) ([]sigma.Option, bool) {
	var placeholders pathList
	fs.Var(&placeholders, "placeholders", "a YAML file of placeholder values for the expand modifier: name: [values] (repeatable)")
	return func(w io.Writer) ([]sigma.Option, bool) {
		opts := []sigma.Option{sigma.Warnings(func(err error) { fmt.Fprintf(w, "warning: %v\n", err) })}
		if len(placeholders) > 0 {
			all := map[string][]string{}
			for _, p := range placeholders {
				src, err := os.ReadFile(p)
				if err != nil {
					fmt.Fprintln(w, err)
					return nil, false
				}
				m, err := sigma.ReadPlaceholders(p, src)
				if err != nil {
					fmt.Fprintln(w, err)
					return nil, false
				}
				for k, v := range m {
					all[k] = append(all[k], v...)
				}
			}
			opts = append(opts, sigma.Placeholders(all))
		}
		return opts, true
	}
}
