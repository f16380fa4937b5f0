// Package jsonlex holds the JSON lexing primitives that match's one-pass
// reader (Record.ResetJSON) and the rule index's scan of an event's text
// share: skipping white space, literals, numbers and strings as RFC 8259
// defines them, and unescaping a string as encoding/json decodes it.
// Positions are byte offsets; a function that finds invalid JSON returns
// Fail.
package jsonlex

// Fail is the position a lexing function returns where the text is not
// valid JSON.
const Fail = -1
