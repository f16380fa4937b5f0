package kafka

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// alertValue returns the JSON object of one alert: the hit line of
// "ruleforge match" (internal/hitline) with the topic as its input and
// the offset plus one, the 1-based position in the partition, as its
// event, Config.Describe's fields of the event in desc, the stateful
// rule's fields, then "topic", "partition" and "offset" of the event.
func alertValue(rule *ir.Rule, desc []byte, topic string, partition int32, offset int64, fields []state.Field) []byte {
	return hitline.Append(nil, &hitline.Hit{Input: topic, Event: offset + 1, Rule: rule, Raw: desc, State: fields,
		Record: &hitline.Record{Topic: topic, Partition: partition, Offset: offset}})
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
