package evtx_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ruleforge/ruleforge/evtx"
)

// Read every record of a file as evtx-JSON; damaged chunks and records
// are *evtx.Error values that reading goes on after.
func Example() {
	f, err := os.Open("testdata/fixture.evtx")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	r, err := evtx.NewReader(f)
	if err != nil {
		panic(err)
	}
	var line []byte
	for {
		rec, err := r.Next()
		var damaged *evtx.Error
		switch {
		case err == io.EOF:
			return
		case errors.As(err, &damaged):
			fmt.Println("skipped:", err)
			continue
		case err != nil:
			panic(err)
		}
		line = rec.AppendJSON(line[:0])
		var ev struct {
			Event struct {
				System struct{ EventID any }
			}
		}
		if err := json.Unmarshal(line, &ev); err != nil {
			panic(err)
		}
		fmt.Printf("record %d: EventID %v (%T), %d bytes of JSON\n", rec.ID, ev.Event.System.EventID, ev.Event.System.EventID, len(line))
	}
	// Output:
	// record 1: EventID 10 (float64), 657 bytes of JSON
	// record 2: EventID 10 (float64), 659 bytes of JSON
	// record 3: EventID 1149 (string), 601 bytes of JSON
}
