package normalize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/normalize"
)

// TestViewEachField reads the mapping tests' events, the mofcomp cases
// and the real records in their shapes with rulesets that each read one
// field of the ECS view alone, or one object holding fields of it (whose
// fields are computed only while it is absent: recordView.wants), and
// compares each with Normalize
// (sameRead): the view works out a field's sources, and the fields it
// derives from them together, only when rules read one of those fields
// (view.wants with the fields a computation feeds: registry.data.type
// with registry.data.strings from Details, host.name with
// winlog.computer_name from Computer, ...), so that a field left out of
// such a list would be missing here, with every other rule reading it
// too (the seed and SigmaHQ rules read many fields at once).
func TestViewEachField(t *testing.T) {
	names, events := readerEvents(t)
	dir := t.TempDir()
	fields := 0
	for _, p := range slices.Concat(normalize.ReaderPaths(), normalize.ReaderObjects()) {
		if strings.HasPrefix(p.String(), "Event.") {
			continue // a source of the view, not one of its fields
		}
		fields++
		rule := filepath.Join(dir, fmt.Sprintf("field%d.yml", fields))
		src := fmt.Sprintf("title: t\nid: f%d\nlogsource:\n    product: windows\ndetection:\n    sel:\n        '%s|exists': true\n    condition: sel\n", fields, p)
		if err := os.WriteFile(rule, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		rs := loadRules(t, rule)
		rd := normalize.NewReader(rs, normalize.Auto)
		for i, raw := range events {
			sameRead(t, rs, rd, normalize.Auto, names[i]+" with a rule reading "+p.String(), raw)
		}
	}
	t.Logf("%d fields and objects, each read alone", fields)
	if fields < 40 {
		t.Errorf("%d fields of the view, want the view's (ReaderPaths)", fields)
	}
}
