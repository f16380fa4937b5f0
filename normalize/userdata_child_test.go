package normalize_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/normalize"
)

// TestReaderUserDataChild checks, with sameRead, the values a Reader
// aliases under UserDataChild for rules that read it one key below
// (Reader.childOf) and two keys below (Reader.child): a child with dotted
// keys, nested objects, arrays, other cases, a "#child" key of the
// event's own, attributes beside the child, and two children (no alias).
// Each event matches testdata/userdata_child.yml through Normalize, except
// where its values differ; TestReaderSame and FuzzReader read no such
// rule, and passed with either alias left out.
func TestReaderUserDataChild(t *testing.T) {
	rs := loadRules(t, filepath.Join("testdata", "userdata_child.yml"))
	events := []string{
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"a.b":"v"}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"a":{"b":"v"}}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"a":{"b":"v"},"a.b":"u"}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"x":"w","a":[{"b":"v"}]}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"a":"v"}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"a":"V"}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"#child":{"x":"w"},"E":{"a":"z"}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"x":"w"},"#attributes":{"y":1}}}}`,
		`{"Event":{"System":{"EventID":1},"UserData":{"E":{"x":"w"},"F":{"x":"w"}}}}`,
	}
	for _, f := range []normalize.Format{normalize.Auto, normalize.WinEvent} {
		rd := normalize.NewReader(rs, f)
		for i, ev := range events {
			sameRead(t, rs, rd, f, fmt.Sprint("event ", i), []byte(ev))
		}
	}
}
