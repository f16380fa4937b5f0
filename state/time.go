package state

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// TimeField is the field event time is read from: ECS's @timestamp, which
// package normalize also gives Windows event records (their
// Event.System.TimeCreated.#attributes.SystemTime) in their ECS view.
const TimeField = "@timestamp"

// NoTime is the time of an event without one.
const NoTime = math.MinInt64

// ParseTime returns the event time in v, the value of TimeField, in Unix
// nanoseconds: an RFC 3339 text (with any fraction of a second, "Z" or an
// offset; a space for the "T" and no zone, read as UTC, are accepted), or
// a number of milliseconds since the Unix epoch, as Elasticsearch reads a
// date field by default (strict_date_optional_time||epoch_millis). It
// returns NoTime for anything else.
func ParseTime(v any) int64 {
	switch v := v.(type) {
	case string:
		return parseTimeText(v)
	case json.Number:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return millis(f)
		}
	case float64:
		return millis(v)
	case int64:
		return millis(float64(v))
	case int:
		return millis(float64(v))
	}
	return NoTime
}

// millis converts epoch milliseconds to nanoseconds, NoTime when out of
// range.
func millis(f float64) int64 {
	ns := f * 1e6
	if math.IsNaN(ns) || ns <= math.MinInt64/2 || ns >= math.MaxInt64/2 {
		return NoTime
	}
	return int64(ns)
}

// timeLayouts are the layouts parseTimeText tries, most common first.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

// parseTimeText parses an RFC 3339 time.
func parseTimeText(s string) int64 {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano()
		}
	}
	return NoTime
}

// Clock is the event time of a stream processed in input order: the
// newest time seen (the watermark), and counts of the events that came
// with an older time (out of order) or none. Expiry runs on the
// watermark, so state never comes back to life and is never kept longer
// because of an event out of order.
type Clock struct {
	Now        int64 // the newest event time seen; NoTime before the first
	OutOfOrder int64 // events older than Now when they came
	Untimed    int64 // events without a time
}

// NewClock returns a clock that has seen no event.
func NewClock() Clock { return Clock{Now: NoTime} }

// Observe records an event's time t (NoTime: none) and returns the time
// the event is given: t itself when it has one, even when older than Now
// (counted in OutOfOrder); Now for an event without a time (counted in
// Untimed), which thus joins what happens at the newest time seen.
func (c *Clock) Observe(t int64) int64 {
	switch {
	case t == NoTime:
		c.Untimed++
		return c.Now
	case c.Now != NoTime && t < c.Now:
		c.OutOfOrder++
		return t
	}
	c.Now = t
	return t
}
