package normalize_test

import (
	"testing"

	"github.com/ruleforge/ruleforge/normalize"
)

func TestFormatString(t *testing.T) {
	for f, want := range map[normalize.Format]string{
		normalize.Auto:     "auto",
		normalize.ECS:      "ecs",
		normalize.Flat:     "flat",
		normalize.WinEvent: "winevent",
		9:                  "Format(9)",
	} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q, want %q", f, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want normalize.Format
		err  string
	}{
		{"auto", normalize.Auto, ""},
		{"ecs", normalize.ECS, ""},
		{"flat", normalize.Flat, ""},
		{"winevent", normalize.WinEvent, ""},
		{"WinEvent", normalize.WinEvent, ""},
		{"ECS", normalize.ECS, ""},
		{"", normalize.Auto, `unknown event format "" (expected auto, ecs, flat or winevent)`},
		{"evtx", normalize.Auto, `unknown event format "evtx" (expected auto, ecs, flat or winevent)`},
		{"Format(9)", normalize.Auto, `unknown event format "Format(9)" (expected auto, ecs, flat or winevent)`},
	} {
		got, err := normalize.ParseFormat(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseFormat(%q) error = %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if back, err := normalize.ParseFormat(got.String()); err != nil || back != got {
			t.Errorf("ParseFormat(%q.String()) = %v, %v", got, back, err)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		name  string
		event string
		want  normalize.Format
	}{
		{"record", `{"Event": {"System": {"EventID": 1}, "EventData": {"Image": "x"}}}`, normalize.WinEvent},
		{"record, event data only", `{"Event": {"EventData": {"Image": "x"}}}`, normalize.WinEvent},
		{"record, user data only", `{"Event": {"UserData": {"Op": {"User": "x"}}}}`, normalize.WinEvent},
		{"record before flat fields", `{"EventID": 4688, "Event": {"System": {"EventID": 1}}}`, normalize.WinEvent},
		{"Event not a record", `{"Event": {"action": "x"}, "EventID": 4}`, normalize.Flat},
		{"Event a string", `{"Event": "x"}`, normalize.ECS},
		{"System a string", `{"Event": {"System": "x"}}`, normalize.ECS},
		{"flat, EventID", `{"EventID": 1, "Image": "x"}`, normalize.Flat},
		{"flat, Channel", `{"Channel": "Security"}`, normalize.Flat},
		{"flat, EventID null", `{"EventID": null}`, normalize.Flat},
		{"ECS nested", `{"event": {"category": ["process"]}, "process": {"name": "x"}}`, normalize.ECS},
		{"ECS dotted", `{"event.category": "process", "process.name": "x"}`, normalize.ECS},
		{"Winlogbeat", `{"winlog": {"channel": "Security", "event_id": "4688"}, "event": {"code": "4688"}}`, normalize.ECS},
		{"empty", `{}`, normalize.ECS},
	} {
		if got := normalize.Detect(decode(t, tt.event)); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := normalize.Detect(nil); got != normalize.ECS {
		t.Errorf("Detect(nil) = %v, want ecs", got)
	}
}
