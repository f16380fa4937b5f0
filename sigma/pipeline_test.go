package sigma_test

import (
	"testing"

	"github.com/ruleforge/ruleforge/sigma"
)

// pipe parses a pipeline or fails the test.
func pipe(t *testing.T, file, src string) sigma.Option {
	t.Helper()
	p, err := sigma.ParsePipeline(file, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sigma.WithPipelines(p)
}

// TestPipelines checks each transformation and condition on events of a
// custom schema, with routing on (the pipelines change what routes too).
func TestPipelines(t *testing.T) {
	const procCreation = "logsource:\n  category: process_creation\n  product: windows\n"
	edr := pipe(t, "edr.yml", `
name: custom EDR
transformations:
  - id: edr_fields
    type: field_name_mapping
    mapping:
      Image: proc_path
      CommandLine: cmdline
      ParentImage: [parent_path, grandparent_path]
    rule_conditions:
      - type: logsource
        category: process_creation
  - type: change_logsource
    category: edr
    rule_conditions:
      - type: logsource
        category: process_creation
  - type: add_condition
    conditions:
      event_type: process_start
    rule_conditions:
      - type: logsource
        category: edr
`)
	image := `
  sel:
    Image|endswith: '\mofcomp.exe'
    ParentImage|endswith: '\cmd.exe'
  condition: sel`
	runMatchCases(t, []matchCase{
		{name: "field_name_mapping, change_logsource, add_condition", routing: true, logsrc: procCreation, det: image,
			options: []sigma.Option{edr},
			match: []string{`{"event_type":"process_start","proc_path":"C:\\w\\mofcomp.exe","parent_path":"C:\\w\\cmd.exe"}`,
				`{"event_type":"process_start","proc_path":"C:\\w\\mofcomp.exe","grandparent_path":"C:\\w\\cmd.exe"}`},
			no: []string{`{"event_type":"process_end","proc_path":"C:\\w\\mofcomp.exe","parent_path":"C:\\w\\cmd.exe"}`,
				`{"proc_path":"C:\\w\\mofcomp.exe","parent_path":"C:\\w\\cmd.exe"}`,
				`{"event_type":"process_start","Image":"C:\\w\\mofcomp.exe","ParentImage":"C:\\w\\cmd.exe"}`,
				`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"event_type":"process_start","proc_path":"C:\\w\\mofcomp.exe","parent_path":"C:\\w\\cmd.exe"}}}`}},
		{name: "rule condition not met", routing: false, logsrc: "logsource:\n  category: file_event\n  product: windows\n", det: image,
			options: []sigma.Option{edr},
			match:   []string{`{"Image":"C:\\w\\mofcomp.exe","ParentImage":"C:\\w\\cmd.exe"}`},
			no:      []string{`{"event_type":"process_start","proc_path":"C:\\w\\mofcomp.exe","parent_path":"C:\\w\\cmd.exe"}`}},
		{name: "field_name_prefix_mapping", routing: false, det: `
  sel:
    process.name: a.exe
    process.parent.name: b.exe
  condition: sel`,
			options: []sigma.Option{pipe(t, "p.yml", "transformations:\n  - type: field_name_prefix_mapping\n    mapping:\n      process.parent.: parent.\n      process.: [proc., p.]\n")},
			match:   []string{`{"proc":{"name":"a.exe"},"parent":{"name":"b.exe"}}`, `{"p.name":"a.exe","parent.name":"b.exe"}`},
			no:      []string{`{"process":{"name":"a.exe","parent":{"name":"b.exe"}}}`}},
		{name: "field_name_conditions include, exclude, re, not, or", routing: false, det: `
  sel:
    Image: a
    User: b
    Hash: c
  condition: sel`,
			options: []sigma.Option{
				pipe(t, "p1.yml", "transformations:\n  - type: field_name_prefix_mapping\n    mapping: {'': x_}\n    field_name_conditions:\n      - type: include_fields\n        fields: [Image, User]\n      - type: exclude_fields\n        fields: ['U.*']\n        mode: re\n"),
				pipe(t, "p2.yml", "transformations:\n  - type: field_name_prefix_mapping\n    mapping: {'': y_}\n    field_name_cond_not: true\n    field_name_cond_op: or\n    field_name_conditions:\n      - type: include_fields\n        fields: [x_Image]\n      - type: include_fields\n        fields: [User]\n")},
			match: []string{`{"x_Image":"a","User":"b","y_Hash":"c"}`},
			no:    []string{`{"Image":"a","User":"b","Hash":"c"}`, `{"x_Image":"a","x_User":"b","y_Hash":"c"}`}},
		{name: "field_name_mapping of fieldref values", routing: false, det: `
  sel:
    Image|fieldref: ParentImage
  condition: sel`,
			options: []sigma.Option{pipe(t, "p.yml", "transformations:\n  - type: field_name_mapping\n    mapping: {Image: proc, ParentImage: [parent, pproc]}\n")},
			match:   []string{`{"proc":"a.exe","parent":"A.EXE"}`, `{"proc":"a.exe","pproc":"a.exe"}`},
			no:      []string{`{"Image":"a.exe","ParentImage":"a.exe"}`, `{"proc":"a.exe","parent":"b.exe"}`}},
		{name: "drop_detection_item", routing: false, det: `
  sel:
    Image: a
    Company: b
  condition: sel`,
			options: []sigma.Option{pipe(t, "p.yml", "transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [Company]\n")},
			match:   []string{`{"Image":"a"}`, `{"Image":"a","Company":"x"}`},
			no:      []string{`{"Company":"b"}`}},
		{name: "replace_string", routing: false, det: `
  sel:
    Image|endswith: '\Windows\System32\cmd.exe'
    User: 'NT AUTHORITY\SYSTEM'
  condition: sel`,
			options: []sigma.Option{pipe(t, "p.yml", `
transformations:
  - type: replace_string
    regex: '\\Windows\\System32\\(.*)$'
    replacement: '/mnt/c/Windows/System32/\1'
    field_name_conditions:
      - type: include_fields
        fields: [Image]
`)},
			match: []string{`{"Image":"/mnt/c/Windows/System32/cmd.exe","User":"NT AUTHORITY\\SYSTEM"}`},
			no:    []string{`{"Image":"C:\\Windows\\System32\\cmd.exe","User":"NT AUTHORITY\\SYSTEM"}`}},
		{name: "replace_string sees the wildcards of contains, startswith and endswith", routing: false, det: `
  a:
    Image|contains: 'C:\Windows\'
  b:
    ParentImage|endswith: '\explorer.exe'
  c:
    CommandLine|startswith|cased: 'C:\Temp\'
  condition: a and b and c`,
			// pySigma applies the modifiers first: the values are "*C:\Windows\*",
			// "*\explorer.exe" and "C:\Temp\*". "^C:" matches only the third;
			// "\\Windows\\" (the regex) inside the first; "^\\explorer" not the second
			// (it starts with "*"), so ParentImage keeps its value.
			options: []sigma.Option{pipe(t, "p.yml", `
transformations:
  - type: replace_string
    regex: '^C:'
    replacement: 'D:'
  - type: replace_string
    regex: '\\Windows\\'
    replacement: '\WinNT\'
  - type: replace_string
    regex: '^\\explorer'
    replacement: 'x'
`)},
			match: []string{`{"Image":"C:\\WinNT\\a.exe","ParentImage":"C:\\explorer.exe","CommandLine":"D:\\Temp\\a"}`},
			no: []string{`{"Image":"C:\\Windows\\a.exe","ParentImage":"C:\\explorer.exe","CommandLine":"D:\\Temp\\a"}`,
				`{"Image":"D:\\WinNT\\a.exe","ParentImage":"C:\\explorer.exe","CommandLine":"D:\\Temp\\a"}`,
				`{"Image":"C:\\WinNT\\a.exe","ParentImage":"C:\\x.exe","CommandLine":"D:\\Temp\\a"}`,
				`{"Image":"C:\\WinNT\\a.exe","ParentImage":"C:\\explorer.exe","CommandLine":"C:\\Temp\\a"}`,
				`{"Image":"C:\\WinNT\\a.exe","ParentImage":"C:\\explorer.exe","CommandLine":"d:\\temp\\a"}`}},
		{name: "value_placeholders and vars", routing: false, det: `
  sel:
    User|expand: '%admins%'
  condition: sel`,
			options: []sigma.Option{pipe(t, "p.yml", "vars:\n  admins: [root, adm_*]\ntransformations:\n  - type: value_placeholders\n")},
			match:   []string{`{"User":"root"}`, `{"User":"adm_bob"}`},
			no:      []string{`{"User":"bob"}`}},
		{name: "contains_detection_item, rule_cond_op or, negated add_condition, template", routing: false, det: `
  sel:
    EventID: 4624
  condition: sel`,
			logsrc: "logsource:\n  product: windows\n  service: security\n",
			options: []sigma.Option{pipe(t, "p.yml", `
transformations:
  - type: add_condition
    negated: true
    template: true
    conditions:
      source: '$product-$service'
    rule_cond_op: or
    rule_conditions:
      - type: contains_detection_item
        field: EventID
        value: 4624
      - type: logsource
        product: linux
`)},
			match: []string{`{"EventID":4624,"source":"other"}`, `{"EventID":4624}`},
			no:    []string{`{"EventID":4624,"source":"windows-security"}`, `{"EventID":4625}`}},
		{name: "field_name_prefix, field_name_suffix, priority (pySigma's tests/files/pipelines)", routing: false, det: `
  sel:
    field: x
  condition: sel`,
			options: []sigma.Option{pipe(t, "pipeline-2.yml", "name: Test 2\npriority: 20\ntransformations:\n  - id: test-2\n    type: field_name_prefix\n    prefix: test.\n"),
				pipe(t, "pipeline-1.yml", "name: Test 1\npriority: 10\ntransformations:\n  - id: test-1\n    type: field_name_suffix\n    suffix: .test\n")},
			match: []string{`{"test":{"field":{"test":"x"}}}`},
			no:    []string{`{"field":"x"}`, `{"field":{"test":"x"}}`}},
		{name: "priority orders pipelines", routing: false, det: `
  sel:
    A: x
  condition: sel`,
			// b.yml has the lower priority and applies first: A -> B -> C.
			options: []sigma.Option{pipe(t, "a.yml", "priority: 20\ntransformations:\n  - type: field_name_mapping\n    mapping: {B: C}\n"),
				pipe(t, "b.yml", "priority: 10\ntransformations:\n  - type: field_name_mapping\n    mapping: {A: B}\n")},
			match: []string{`{"C":"x"}`},
			no:    []string{`{"A":"x"}`, `{"B":"x"}`}},
		{name: "equal priorities apply in the order given", routing: false, det: `
  sel:
    A: x
  condition: sel`,
			// pySigma's ProcessingPipelineResolver.resolve (sigma/processing/
			// resolver.py) sorts with key=priority only; Python's sort is
			// stable, so z.yml, given first, applies first: A -> B -> C. By
			// file name a.yml would apply first and leave B.
			options: []sigma.Option{pipe(t, "z.yml", "transformations:\n  - type: field_name_mapping\n    mapping: {A: B}\n"),
				pipe(t, "a.yml", "transformations:\n  - type: field_name_mapping\n    mapping: {B: C}\n")},
			match: []string{`{"C":"x"}`},
			no:    []string{`{"A":"x"}`, `{"B":"x"}`}},
	})
}

// TestPipelineFilter checks that a filter rule's fields are mapped as the
// rules' are, so that it still excludes what it names.
func TestPipelineFilter(t *testing.T) {
	p := pipe(t, "p.yml", "transformations:\n  - type: field_name_mapping\n    mapping: {Image: proc_path, User: user}\n")
	flt, err := sigma.ParseFilter("f.yml", []byte("title: f\nlogsource:\n  product: windows\nfilter:\n  rules: any\n  sel:\n    User: svc_backup\n  condition: not sel\n"), p)
	if err != nil {
		t.Fatal(err)
	}
	runMatchCases(t, []matchCase{{name: "filter", routing: false, det: `
  sel:
    Image|endswith: '\\whoami.exe'
  condition: sel`,
		options: []sigma.Option{p, sigma.WithFilters(flt)},
		match:   []string{`{"proc_path":"C:\\whoami.exe","user":"bob"}`},
		no:      []string{`{"proc_path":"C:\\whoami.exe","user":"svc_backup"}`}}})
}

// TestPipelineRuleErrors checks the errors a pipeline causes in a rule.
func TestPipelineRuleErrors(t *testing.T) {
	drop := pipe(t, "drop.yml", "transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [Company]\n")
	src := "title: t\ndetection:\n  sel:\n    Company: x\n  condition: sel\n"
	_, err := sigma.ParseRule("r.yml", []byte(src), drop)
	if want := "drop.yml:2:5: transformation drop_detection_item: it drops every field of a search"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	same := pipe(t, "same.yml", "transformations:\n  - type: field_name_mapping\n    mapping: {Image: p, SourceImage: p}\n")
	src = "title: t\ndetection:\n  sel:\n    Image|endswith: a\n    SourceImage|endswith: a\n  condition: sel\n"
	_, err = sigma.ParseRule("r.yml", []byte(src), same)
	if want := `same.yml:2:5: transformation field_name_mapping: it maps two fields of search "sel" to "p|endswith" (a search holds a field once)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestPipelineErrors checks that what a pipeline file may not hold is an
// error naming the place and the key.
func TestPipelineErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"name: x\npostprocessing: []\n", `p.yml:2:1: pipeline: unsupported key "postprocessing" (supported: name, priority, vars, transformations)`},
		{"transformations:\n  - type: add_field\n    field: x\n", `p.yml:2:11: unsupported transformation type "add_field"`},
		{"transformations:\n  - type: field_name_mapping\n    mapping: {a: b}\n    detection_item_conditions: []\n", `p.yml:4:5: transformation field_name_mapping: unsupported key "detection_item_conditions" (supported: id, type, rule_conditions, rule_cond_op, rule_cond_not, field_name_conditions, field_name_cond_op, field_name_cond_not, mapping)`},
		{"transformations:\n  - type: field_name_mapping\n    rule_conditions:\n      - type: tag\n        tag: x\n    mapping: {a: b}\n", `p.yml:4:9: unsupported rule condition type "tag"`},
		{"transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - type: include_fields\n        fields: [a]\n        mode: glob\n", `p.yml:6:15: mode: expected plain or re, found "glob"`},
		{"transformations:\n  - type: field_name_mapping\n", `p.yml:2:5: transformation field_name_mapping has no mapping`},
		{"transformations:\n  - mapping: {a: b}\n", `p.yml:2:5: transformation has no type`},
		{"priority: high\n", `p.yml:1:11: priority: expected a whole number, found "high"`},
		{"transformations:\n  - type: replace_string\n    regex: '('\n    replacement: x\n", "p.yml:3:12: regex: error parsing regexp: missing closing ): `(`"},
		{"transformations:\n  - type: field_name_mapping\n    rule_cond_op: xor\n    mapping: {a: b}\n", `p.yml:3:19: rule_cond_op: expected and or or, found "xor"`},
		{"- a\n", `p.yml:1:1: pipeline is a YAML list, not a mapping`},
	}
	for _, tt := range tests {
		_, err := sigma.ParsePipeline("p.yml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\ngot  %v\nwant %s", tt.src, err, tt.want)
		}
	}
}
