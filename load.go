package ruleforge

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/ruleforge/ruleforge/correlate"
	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
)

// Loader reads rule files. The zero Loader uses each language's defaults
// (Sigma log source routing on).
type Loader struct {
	// Sigma are options for every Sigma rule, e.g. sigma.Routing(false)
	// or sigma.Placeholders(…).
	Sigma []sigma.Option
	// EQL are options for every EQL query and Elastic rule file, e.g.
	// eql.WithMaxQuerySize(…).
	EQL []eql.Option
	// MaxFileSize is the most bytes read of one rule file; 0 means
	// MaxFileSize.
	MaxFileSize int64
	// Pipelines are pySigma processing pipelines (sigma.ParsePipeline)
	// for the user's schema: applied to every Sigma rule
	// (sigma.WithPipelines), and their unconditional field name mappings
	// to every single-event EQL rule (sigma.MapFields).
	Pipelines []*sigma.Pipeline
}

// sigmaOptions returns the options for Sigma rules: l.Sigma, and the
// pipelines.
func (l Loader) sigmaOptions() []sigma.Option {
	if len(l.Pipelines) == 0 {
		return l.Sigma
	}
	return append(append([]sigma.Option(nil), l.Sigma...), sigma.WithPipelines(l.Pipelines...))
}

// Parse reads one rule from src with the zero Loader; see Loader.Parse.
func Parse(name string, src []byte) (*ir.Rule, error) { return Loader{}.Parse(name, src) }

// ReadFile reads and parses one rule file with the zero Loader.
func ReadFile(path string) (*ir.Rule, error) { return Loader{}.ReadFile(path) }

// Load reads rules from files and directories with the zero Loader; see
// Loader.Load.
func Load(paths ...string) ([]*ir.Rule, ErrorList) { return Loader{}.Load(paths...) }

// Parse reads one rule from src; name's extension selects the language:
// .yml and .yaml are Sigma, .eql a bare EQL query (its ID and title are the
// file name without extension), .toml an Elastic detection rule.
func (l Loader) Parse(name string, src []byte) (*ir.Rule, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml":
		return sigma.ParseRule(name, src, l.sigmaOptions()...)
	case ".eql", ".toml":
		parse := eql.ParseRule
		if strings.EqualFold(filepath.Ext(name), ".toml") {
			parse = eql.ParseTOML
		}
		r, err := parse(name, src, l.EQL...)
		if err == nil {
			sigma.MapFields(r, l.Pipelines...)
		}
		return r, err
	}
	return nil, &ir.Error{Pos: ir.Pos{File: name}, Msg: "unknown rule file type (expected .yml, .yaml, .eql or .toml)"}
}

// ReadFile reads and parses one rule file.
func (l Loader) ReadFile(path string) (*ir.Rule, error) {
	src, err := readRule(path, l.maxFileSize())
	if err != nil {
		return nil, err
	}
	return l.Parse(path, src)
}

// IsRuleFile reports whether a file name has a rule file extension.
func IsRuleFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml", ".eql", ".toml":
		return true
	}
	return false
}

// isSigmaFilter reports whether a YAML document is a Sigma filter rule (it
// has a top-level "filter:" key).
func isSigmaFilter(src []byte) bool {
	return bytes.HasPrefix(src, []byte("filter:")) || bytes.Contains(src, []byte("\nfilter:"))
}

// maxFileSize is l.MaxFileSize or its default.
func (l Loader) maxFileSize() int64 {
	if l.MaxFileSize > 0 {
		return l.MaxFileSize
	}
	return MaxFileSize
}

// Load reads rules from files and directories as LoadSet does and returns
// its rules followed by its correlations, each a stateful rule
// (correlate.New) that package state runs over the hits of the rules it
// refers to; compile.Compile alone never matches them.
func (l Loader) Load(paths ...string) ([]*ir.Rule, ir.ErrorList) {
	set, errs := l.LoadSet(paths...)
	return l.withCorrelations(set), errs
}

// withCorrelations returns the rules of set followed by its correlations,
// each a stateful rule (correlate.New).
func (Loader) withCorrelations(set *Set) []*ir.Rule {
	rules := set.Rules
	for _, c := range set.Correlations {
		rules = append(rules, correlate.New(c, set.Correlations))
	}
	return rules
}

// Set is what LoadSet reads: rules and the correlation rules over them.
type Set struct {
	Rules        []*ir.Rule
	Correlations []*ir.Correlation // resolved: their targets index Rules and Correlations
}

// LoadSet reads rules from files and directories. Directories are walked
// in lexical order, symbolic links followed, and only their rule files
// (see IsRuleFile) are read, hidden ones (".github/") left out; a file
// named directly is read whatever its name. Only regular files are read,
// and at most MaxFileSize bytes of each. Sigma filter rules among
// them are applied to the rules they name (sigma.WithFilters) and are not
// rules themselves. A Sigma file may hold several YAML documents: rules
// and correlation rules (sigma.ParseFile), whose references are resolved
// across all the files (sigma.Resolve). It returns the rules and
// correlations that loaded and one error per file or correlation that did
// not, each naming its file.
func (l Loader) LoadSet(paths ...string) (*Set, ir.ErrorList) {
	// The walk lists the files and its errors in order; the files are
	// then read in parallel, each into its own slot.
	var todo []pending
	add := func(path string) { todo = append(todo, pending{path: path}) }
	fail := func(err error) { todo = append(todo, pending{err: err}) }
	for _, root := range paths {
		info, err := os.Stat(root)
		switch {
		case err != nil:
			fail(files.PathError(root, err))
		case info.IsDir():
			files.Walk(root, IsRuleFile, add, fail)
		default:
			add(root)
		}
	}
	limit := l.maxFileSize()
	par.For(len(todo), func(i int) {
		if t := &todo[i]; t.err == nil {
			t.src, t.err = readRule(t.path, limit)
		}
	})
	var read []file
	var errs ir.ErrorList
	for _, t := range todo {
		if t.err != nil {
			errs.Add(t.err)
			continue
		}
		read = append(read, file{t.path, t.src})
	}
	return l.parseFiles(read, errs)
}

// pending is a rule file to read, or an error met while walking.
type pending struct {
	path string
	src  []byte
	err  error
}

// file is a rule file read: its name and its contents.
type file struct {
	path string
	src  []byte
}

// parseFiles parses the rule files read, as LoadSet describes, adding
// their errors to errs.
func (l Loader) parseFiles(read []file, errs ir.ErrorList) (*Set, ir.ErrorList) {
	// Sigma files are parsed below with l.Sigma, EQL files with l.Parse.
	l.Sigma = l.sigmaOptions()
	var filters []*sigma.Filter
	rest := read[:0:0]
	for _, f := range read {
		ext := strings.ToLower(filepath.Ext(f.path))
		if (ext == ".yml" || ext == ".yaml") && isSigmaFilter(f.src) {
			flt, err := sigma.ParseFilter(f.path, f.src, l.Sigma...)
			if err != nil {
				errs.Add(err)
				continue
			}
			filters = append(filters, flt)
			continue
		}
		rest = append(rest, f)
	}
	if len(filters) > 0 {
		l.Sigma = append(append([]sigma.Option(nil), l.Sigma...), sigma.WithFilters(filters...))
	}
	// Each file parses on its own (par.For), into its own slot; the
	// slots are then gathered in file order, so the result is the same as
	// parsing one file after another.
	type parsed struct {
		rules []*ir.Rule
		corrs []*ir.Correlation
		err   error
	}
	out := make([]parsed, len(rest))
	par.For(len(rest), func(i int) {
		f, o := rest[i], &out[i]
		ext := strings.ToLower(filepath.Ext(f.path))
		if ext != ".yml" && ext != ".yaml" {
			r, err := l.Parse(f.path, f.src)
			if err == nil {
				o.rules = []*ir.Rule{r}
			}
			o.err = err
			return
		}
		sf, err := sigma.ParseFile(f.path, f.src, l.Sigma...)
		if err != nil {
			o.err = err
			return
		}
		o.rules, o.corrs = sf.Rules, sf.Correlations
	})
	set := &Set{}
	var corrs []*ir.Correlation
	for _, o := range out {
		if o.err != nil {
			errs.Add(o.err)
		}
		set.Rules = append(set.Rules, o.rules...)
		corrs = append(corrs, o.corrs...)
	}
	var resolveErrs []error
	set.Correlations, resolveErrs = sigma.Resolve(set.Rules, corrs)
	for _, err := range resolveErrs {
		errs.Add(err)
	}
	return set, errs
}
