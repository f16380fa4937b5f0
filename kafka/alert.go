package kafka

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// alertValue returns the JSON object of one alert: the fields of a hit
// line of "ruleforge match" (the topic as its input, the offset plus one,
// the 1-based position in the partition, as its event; then the event's
// fields in desc, Config.Describe's), the stateful rule's fields (its
// Fields, in order), then "topic", "partition" and "offset" of the event.
func alertValue(rule *ir.Rule, desc []byte, topic string, partition int32, offset int64, fields []state.Field) []byte {
	line := []byte{'{'}
	line = appendField(line, "input", topic)
	line = appendField(line, "event", offset+1)
	line = appendField(line, "rule_id", rule.ID)
	line = appendField(line, "title", rule.Title)
	line = appendField(line, "language", rule.Lang.String())
	line = appendField(line, "severity", rule.Severity)
	if rule.RiskScore != nil {
		line = appendField(line, "risk_score", *rule.RiskScore)
	}
	if rule.Source.File != "" {
		line = appendField(line, "rule_file", rule.Source.File)
	}
	if len(desc) > 0 {
		line = append(append(line, ','), desc...)
	}
	for _, f := range fields {
		line = appendField(line, f.Name, f.Value)
	}
	line = appendField(line, "topic", topic)
	line = appendField(line, "partition", partition)
	line = appendField(line, "offset", offset)
	return append(line, '}')
}

// appendField appends "name":value to an open JSON object, after a comma
// unless the object is empty; a value that does not encode is null.
func appendField(dst []byte, name string, v any) []byte {
	n, _ := json.Marshal(name)
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null")
	}
	if dst[len(dst)-1] != '{' {
		dst = append(dst, ',')
	}
	dst = append(append(dst, n...), ':')
	return append(dst, b...)
}

// alertKey returns the key of an alert, the same for the same hit in any
// run and member: a hash of the rule's ID, the event's topic, partition
// and offset, and for a stateful rule its join or group key values (one
// event may complete a rule for several keys), as 32 hexadecimal digits.
// Consumers of the alerts topic drop the duplicates that at-least-once
// delivery makes by it.
func alertKey(ruleID, topic string, partition int32, offset int64, keys []state.Value) []byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	put := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	put(ruleID)
	put(topic)
	put(fmt.Sprint(partition))
	put(fmt.Sprint(offset))
	for _, k := range keys {
		put(string(k))
	}
	sum := h.Sum(nil)
	return hex.AppendEncode(nil, sum[:16])
}
