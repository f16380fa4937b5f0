package normalize

// Normalize adds the ECS view of a Windows event to m, in place, and
// returns the format it read m as: f, or Detect(m) when f is Auto (or not
// a Format). The view is documented in the package documentation. It only
// adds: no key the event has is replaced, removed or hidden behind a new
// object, so everything that read the event before reads the same values
// after (Sigma rules, which look fields up at their Windows names first,
// included), and normalizing again adds nothing. A WinEvent record also
// gets its UserData element at UserDataChild.
//
// Keyword searches over m after Normalize would see the view's values as
// the event's: where they should not (see the package documentation,
// Sigma), match the event with a Reader (ReadMap).
//
// ECS events are left as they are, and so is a nil map. Normalize does
// not keep m; it must not be used by others during the call.
func Normalize(m map[string]any, f Format) Format {
	if f != ECS && f != Flat && f != WinEvent {
		f = Detect(m)
	}
	if m == nil {
		return f
	}
	switch f {
	case Flat:
		addWindows(flatRecord(m), view{out: newMapView(m)})
	case WinEvent:
		addWindows(eventRecord(m), view{out: newMapView(m)})
		aliasUserData(m)
	}
	return f
}
