package normalize

import (
	"fmt"
	"strconv"
	"strings"
)

// Format is the shape of one decoded event.
type Format uint8

// The event formats. Auto, the zero value, is not a format of its own: it
// asks Normalize to Detect the format of each event.
const (
	Auto     Format = iota // detect each event's format (see Detect)
	ECS                    // Elastic Common Schema: nested objects, dotted keys or a mix; nothing to add
	Flat                   // Windows event fields at the top level: EventID, Channel, Image, …
	WinEvent               // a Windows event record as JSON: Event.System, Event.EventData, Event.UserData
)

// formatNames are the names String returns and ParseFormat accepts.
var formatNames = [...]string{Auto: "auto", ECS: "ecs", Flat: "flat", WinEvent: "winevent"}

// String returns "auto", "ecs", "flat" or "winevent", and "Format(N)" for
// any other value.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat returns the format a name (as String spells it, in any case)
// stands for, for a command-line flag. The error for any other text names
// the choices.
func ParseFormat(s string) (Format, error) {
	for f, name := range formatNames {
		if strings.EqualFold(s, name) {
			return Format(f), nil
		}
	}
	return Auto, fmt.Errorf("unknown event format %q (expected auto, ecs, flat or winevent)", s)
}
