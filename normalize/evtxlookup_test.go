package normalize

import "testing"

// TestJoined checks how many parts of a path a member's key stands for,
// as match.Map reads keys that hold dots: the next part, or several
// joined with dots, and nothing for a key that merely starts like them.
func TestJoined(t *testing.T) {
	tests := []struct {
		key   string
		parts []string
		want  int
	}{
		{"Event", []string{"Event", "System"}, 1},
		{"Event.System", []string{"Event", "System", "EventID"}, 2},
		{"Event.System.EventID", []string{"Event", "System", "EventID"}, 3},
		{"Event.Sys", []string{"Event", "System"}, 0},
		{"Event.SystemX", []string{"Event", "System"}, 0},
		{"EventX", []string{"Event", "System"}, 0},
		{"Event.", []string{"Event", "System"}, 0},
		{"Event.System.More", []string{"Event", "System"}, 0},
		{"", []string{"Event"}, 0},
		{"a.b", []string{"a.b", "c"}, 1}, // a part holding a dot
	}
	for _, tt := range tests {
		if got := joined(tt.key, tt.parts); got != tt.want {
			t.Errorf("joined(%q, %q) = %d, want %d", tt.key, tt.parts, got, tt.want)
		}
	}
}
