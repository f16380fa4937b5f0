package normalize

// Detect returns the format of one decoded event, telling the shapes apart
// in the order Sigma's log source routing does (go doc ./sigma):
//
//	WinEvent  "Event" is an object holding a "System", "EventData" or
//	          "UserData" object
//	Flat      "EventID" or "Channel" at the top level
//	ECS       anything else: ECS events (Elastic Defend, Winlogbeat, …) and
//	          events of no known shape, which have nothing to add
func Detect(m map[string]any) Format {
	if eventOf(m) != nil {
		return WinEvent
	}
	if _, ok := m["EventID"]; ok {
		return Flat
	}
	if _, ok := m["Channel"]; ok {
		return Flat
	}
	return ECS
}

// eventOf returns the "Event" object of a Windows event record, or nil
// when m is not one.
func eventOf(m map[string]any) map[string]any {
	ev, ok := m["Event"].(map[string]any)
	if !ok {
		return nil
	}
	for _, k := range [...]string{"System", "EventData", "UserData"} {
		if _, ok := ev[k].(map[string]any); ok {
			return ev
		}
	}
	return nil
}
