package eql

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	gotoml "github.com/pelletier/go-toml/v2"
	"github.com/ruleforge/ruleforge/ir"
)

// ParseTOML reads an Elastic detection-rules TOML file. The rule comes from
// the [rule] table:
//
//	rule_id      ID (required)
//	name         Title
//	description  Description, surrounding white space trimmed
//	severity     Severity, lower-cased: Elastic's severities (low, medium,
//	             high, critical) are Sigma's levels, which add informational
//	risk_score   RiskScore
//	tags         Tags
//	threat       Attack: for each [[rule.threat]] in file order, its tactic
//	             id, then each technique id followed by the ids of its
//	             subtechniques; duplicates are dropped. Tactics gets the
//	             tactics' ids and names as written, Techniques the
//	             technique and subtechnique ids
//	author       Author
//	references   References
//	false_positives  FalsePositives
//	index        Index: the index patterns (Logsource stays zero: neither
//	             they nor the query's host.os.type name a Sigma log source)
//	language     must be "eql"
//	query        Expr (required); Source is its first token
//
// The [metadata] table's maturity gives Status in Sigma's words, so that
// one status filter serves both languages: production is stable,
// development experimental, deprecated deprecated; any other maturity is
// kept lower-cased, and a file without one has no status. Other keys are
// ignored. Options change the limits (see Limits in the
// package documentation). Errors are *ir.Error pointing into the file,
// errors in the query included.
func ParseTOML(file string, src []byte, opts ...Option) (r *ir.Rule, err error) {
	defer recoverError(file, &err)
	return parseTOML(file, src, newConfig(opts))
}

// parseTOML is ParseTOML without the guard against panics.
func parseTOML(file string, src []byte, cfg *config) (*ir.Rule, error) {
	if len(src) > cfg.maxFileSize {
		return nil, ir.Errorf(ir.Pos{File: file, Line: 1, Col: 1}, "file is %d bytes, more than the limit of %d", len(src), cfg.maxFileSize)
	}
	text := string(src)
	if err := checkTOMLDepth(file, text, cfg.maxTOMLDepth); err != nil {
		return nil, err
	}
	doc, err := decodeTOML(src, text)
	if err != nil {
		return nil, tomlError(file, text, err)
	}
	d := &tomlDoc{file: file, src: text, cfg: cfg}
	v, ok := doc["rule"]
	if !ok {
		return nil, d.errorf("rule", "missing [rule] table")
	}
	table, ok := v.(map[string]any)
	if !ok {
		return nil, d.typeError("rule", v, "a table")
	}
	r, err := d.rule(table)
	if err == nil {
		r.Status, err = d.maturity(doc["metadata"])
	}
	if err != nil {
		id, _ := table["rule_id"].(string)
		return nil, ir.ForRule(err, id)
	}
	return r, nil
}

// decodeTOML decodes a TOML file, src and the same bytes as text, with
// go-toml (pelletier/go-toml/v2) and, should that fail, with
// BurntSushi/toml, whose result or error is then the answer. go-toml reads
// the Elastic corpus 6 to 8 times faster than BurntSushi and allocates a
// fifth as much (BenchmarkDecodeTOML), where BurntSushi took a tenth of
// the time to load every rule; BurntSushi, the decoder ruleforge
// used alone before, keeps the text and position of every syntax error,
// and a file that it reads and go-toml does not still loads as before.
// TestDecodeTOML checks that both give the same values on the corpus.
func decodeTOML(src []byte, text string) (map[string]any, error) {
	var doc map[string]any
	if gotoml.Unmarshal(src, &doc) == nil {
		return doc, nil
	}
	doc = nil
	_, err := toml.Decode(text, &doc)
	return doc, err
}

// maturities maps Elastic's rule maturity to Sigma's status.
var maturities = map[string]string{"production": "stable", "development": "experimental", "deprecated": "deprecated"}

// maturity returns the status of the [metadata] table's maturity.
func (d *tomlDoc) maturity(meta any) (string, error) {
	table, ok := meta.(map[string]any)
	if !ok {
		return "", nil
	}
	v, ok := table["maturity"]
	if !ok {
		return "", nil
	}
	m, ok := v.(string)
	if !ok {
		return "", d.typeError("metadata.maturity", v, "a string")
	}
	m = strings.ToLower(m)
	if s, ok := maturities[m]; ok {
		return s, nil
	}
	return m, nil
}

// rule reads the [rule] table.
func (d *tomlDoc) rule(rule map[string]any) (*ir.Rule, error) {
	r := &ir.Rule{Lang: ir.LangEQL}
	lang, err := d.str(rule, "language", true)
	if err != nil {
		return nil, err
	}
	if lang != "eql" {
		return nil, d.errorf("rule.language", "%w: language %q (expected \"eql\")", ir.ErrUnsupported, lang)
	}
	if r.ID, err = d.str(rule, "rule_id", true); err != nil {
		return nil, err
	}
	if r.Title, err = d.str(rule, "name", false); err != nil {
		return nil, err
	}
	if r.Description, err = d.str(rule, "description", false); err != nil {
		return nil, err
	}
	r.Description = strings.TrimSpace(r.Description)
	if r.Severity, err = d.str(rule, "severity", false); err != nil {
		return nil, err
	}
	r.Severity = strings.ToLower(r.Severity)
	if v, ok := rule["risk_score"]; ok {
		n, ok := v.(int64)
		if !ok {
			return nil, d.typeError("rule.risk_score", v, "an integer")
		}
		// detection-rules, detection_rules/schemas/definitions.py:
		// RiskScore is an int validated by Range(min=1, max=100).
		if n < 1 || n > 100 {
			return nil, d.errorf("rule.risk_score", "rule.risk_score %d is out of range (expected 1 to 100)", n)
		}
		score := int(n)
		r.RiskScore = &score
	}
	if r.Tags, err = d.strs(rule, "tags"); err != nil {
		return nil, err
	}
	if err := d.threat(rule, r); err != nil {
		return nil, err
	}
	if r.Author, err = d.strs(rule, "author"); err != nil {
		return nil, err
	}
	if r.References, err = d.strs(rule, "references"); err != nil {
		return nil, err
	}
	if r.FalsePositives, err = d.strs(rule, "false_positives"); err != nil {
		return nil, err
	}
	if r.Index, err = d.strs(rule, "index"); err != nil {
		return nil, err
	}
	query, err := d.str(rule, "query", true)
	if err != nil {
		return nil, err
	}
	var start ir.Pos
	r.Expr, r.State, start, err = parse("", query, d.cfg)
	m := d.queryMap(query)
	if err != nil {
		var e *ir.Error
		if errors.As(err, &e) {
			e.Pos = m(e.Pos)
		}
		return nil, err
	}
	r.Source = m(start)
	if sq, ok := r.State.(*seqRule); ok {
		for i := range sq.stages {
			sq.stages[i].Pos = m(sq.stages[i].Pos)
		}
	}
	return r, nil
}

// tomlError converts a TOML decoding error.
func tomlError(file, src string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		p := srcPos(file, src, pe.Position.Start)
		if pe.Position.Line > 0 && pe.Position.Line != p.Line {
			// The offset and the line disagree (at the end of the file):
			// the line and column, kept inside the file, give the offset.
			p = srcPos(file, src, lineColOffset(src, pe.Position.Line, pe.Position.Col))
		}
		return &ir.Error{Pos: p, Msg: "toml: " + pe.Message}
	}
	return ir.Errorf(ir.Pos{File: file, Line: 1, Col: 1}, "toml: %s", err)
}

// lineColOffset returns the offset of a line and column (both 1-based) of
// src: the end of its line when the column is past it, the end of src
// when the line is.
func lineColOffset(src string, line, col int) int {
	off := 0
	for range line - 1 {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+max(col, 1)-1, lineEnd(src, off))
}

// tomlDoc is a decoded TOML file and its source, where the positions of
// keys are found when needed (locateTOML).
type tomlDoc struct {
	file string
	src  string
	cfg  *config
}

// pos returns the position of a dotted key, or of the nearest enclosing
// table found, or of the file's start.
func (d *tomlDoc) pos(key string) ir.Pos {
	for k := key; k != ""; {
		if l, ok := locateTOML(d.src, k); ok {
			return srcPos(d.file, d.src, l.key)
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return ir.Pos{File: d.file, Line: 1, Col: 1}
}

// errorf returns an error at a key.
func (d *tomlDoc) errorf(key, format string, args ...any) error {
	return ir.Errorf(d.pos(key), format, args...)
}

// typeError reports a value of the wrong type.
func (d *tomlDoc) typeError(key string, v any, want string) error {
	return d.errorf(key, "unexpected %s for %s (expected %s)", tomlType(v), key, want)
}

// str returns a string of the [rule] table.
func (d *tomlDoc) str(t map[string]any, key string, required bool) (string, error) {
	v, ok := t[key]
	if !ok {
		if required {
			return "", d.errorf("rule", "missing rule.%s", key)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", d.typeError("rule."+key, v, "a string")
	}
	return s, nil
}

// strs returns an array of strings of the [rule] table.
func (d *tomlDoc) strs(t map[string]any, key string) ([]string, error) {
	v, ok := t[key]
	if !ok {
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, d.typeError("rule."+key, v, "an array of strings")
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, d.typeError("rule."+key, e, "an array of strings")
		}
		out[i] = s
	}
	return out, nil
}

// threat reads [[rule.threat]] into r's ATT&CK mapping. Per threat in
// file order: the tactic ({id, name} into Tactics), then each technique
// followed by its subtechniques (ids into Techniques); Attack gets every id
// in that order. Each list drops duplicates. The framework key is not
// checked: Elastic's rules all name "MITRE ATT&CK".
func (d *tomlDoc) threat(rule map[string]any, r *ir.Rule) error {
	v, ok := rule["threat"]
	if !ok {
		return nil
	}
	threats, ok := asTables(v)
	if !ok {
		return d.typeError("rule.threat", v, "an array of tables")
	}
	seen := map[string]bool{}
	// add reads t's id and records it once in Attack and, when list is
	// not nil, in *list; it returns the id.
	add := func(key string, t map[string]any, list *[]string) (string, error) {
		id, err := d.key(t, key, "id")
		if err != nil || id == "" || seen[id] {
			return id, err
		}
		seen[id] = true
		r.Attack = append(r.Attack, id)
		if list != nil {
			*list = append(*list, id)
		}
		return id, nil
	}
	seenTactic := map[ir.Tactic]bool{}
	for _, th := range threats {
		if v, ok := th["tactic"]; ok {
			t, ok := v.(map[string]any)
			if !ok {
				return d.typeError("rule.threat.tactic", v, "a table")
			}
			id, err := add("rule.threat.tactic", t, nil)
			if err != nil {
				return err
			}
			name, err := d.key(t, "rule.threat.tactic", "name")
			if err != nil {
				return err
			}
			if tc := (ir.Tactic{ID: id, Name: name}); tc != (ir.Tactic{}) && !seenTactic[tc] {
				seenTactic[tc] = true
				r.Tactics = append(r.Tactics, tc)
			}
		}
		techniques, err := d.tables(th, "rule.threat", "technique")
		if err != nil {
			return err
		}
		for _, te := range techniques {
			if _, err := add("rule.threat.technique", te, &r.Techniques); err != nil {
				return err
			}
			subs, err := d.tables(te, "rule.threat.technique", "subtechnique")
			if err != nil {
				return err
			}
			for _, sub := range subs {
				if _, err := add("rule.threat.technique.subtechnique", sub, &r.Techniques); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// key returns the string at key of the table t, which is at the dotted
// path table; "" when it is missing.
func (d *tomlDoc) key(t map[string]any, table, key string) (string, error) {
	v, ok := t[key]
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", d.typeError(table+"."+key, v, "a string")
	}
	return s, nil
}

// tables returns an array of tables of t, nil when it is missing.
func (d *tomlDoc) tables(t map[string]any, table, key string) ([]map[string]any, error) {
	v, ok := t[key]
	if !ok {
		return nil, nil
	}
	arr, ok := asTables(v)
	if !ok {
		return nil, d.typeError(table+"."+key, v, "an array of tables")
	}
	return arr, nil
}

// asTables returns v as an array of tables, which go-toml decodes into an
// []any of tables and BurntSushi/toml into an []map[string]any.
func asTables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			t, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = t
		}
		return out, true
	}
	return nil, false
}

// queryMap returns a function that moves a position in the query to the
// file. The query's bytes are traced back to the file through the string's
// escapes; should that fail, positions count from the start of the value.
func (d *tomlDoc) queryMap(query string) func(ir.Pos) ir.Pos {
	loc, ok := locateTOML(d.src, "rule.query")
	if !ok {
		return func(ir.Pos) ir.Pos { return d.pos("rule.query") }
	}
	spans, ok := tomlSpans(d.src, loc.val, query)
	return func(p ir.Pos) ir.Pos {
		off := p.Offset + loc.val
		if ok {
			off = spanOffset(spans, p.Offset)
		}
		return srcPos(d.file, d.src, off)
	}
}

// tomlType names the TOML type of a decoded value.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		return "table"
	case time.Time, gotoml.LocalDateTime, gotoml.LocalDate, gotoml.LocalTime:
		return "datetime"
	}
	return fmt.Sprintf("%T", v)
}
