package evtx

// AppendJSON appends the record as one line of JSON (no newline) in the
// shape evtx_dump (the Rust evtx crate) writes: each element an object
// key; attributes under "#attributes"; an element with neither attributes
// nor child elements as its value; text beside attributes or children
// under "#text"; an empty element null; <Data Name="N">v</Data> as
// "N": v (an empty v as ""); unnamed Data elements gathered as
// "Data": {"#text": v} or {"#text": [v, …]}; a key repeated in one object
// suffixed _1, _2, …. Values keep their types: integers, reals and
// booleans as JSON numbers and booleans, HexInt32/64 as "0x…" in lower
// case, GUIDs in upper case without braces, FILETIME and SYSTEMTIME as
// YYYY-MM-DDTHH:MM:SS.ffffffZ, binary as upper-case hex, SIDs as S-1-….
// The record is valid until its Decoder's next Next or Reset. Walk hands
// the same members to a Visitor instead.
func (r *Record) AppendJSON(b []byte) []byte {
	w := &r.d.json
	w.b, w.open = b, w.open[:0]
	r.Walk(w)
	b, w.b = w.b, nil
	return b
}

// jsonWriter is the Visitor that AppendJSON writes with.
type jsonWriter struct {
	b    []byte
	open []byte // the closing bracket of each object and array open
}

// key appends a member's key (an array's items have none), after a comma
// unless it opens its object or array.
func (w *jsonWriter) key(key string) {
	if len(w.open) == 0 {
		return
	}
	if c := w.b[len(w.b)-1]; c != '{' && c != '[' {
		w.b = append(w.b, ',')
	}
	if w.open[len(w.open)-1] == '}' {
		w.b = append(w.b, '"')
		w.b = appendStringJSON(w.b, key)
		w.b = append(w.b, '"', ':')
	}
}

// Object writes key and opens an object.
func (w *jsonWriter) Object(key string) bool {
	w.key(key)
	w.b = append(w.b, '{')
	w.open = append(w.open, '}')
	return true
}

// Array writes key and opens an array.
func (w *jsonWriter) Array(key string) {
	w.key(key)
	w.b = append(w.b, '[')
	w.open = append(w.open, ']')
}

// End closes the object or array opened last.
func (w *jsonWriter) End() {
	w.b = append(w.b, w.open[len(w.open)-1])
	w.open = w.open[:len(w.open)-1]
}

// Value writes key and v.
func (w *jsonWriter) Value(key string, v Value) {
	w.key(key)
	w.b = v.AppendJSON(w.b)
}
