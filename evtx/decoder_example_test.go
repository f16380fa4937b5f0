package evtx_test

import (
	"fmt"
	"io"
	"os"

	"github.com/ruleforge/ruleforge/evtx"
)

// A Decoder reads chunks that a Reader hands out (NextChunk), here of a
// file read three times, and keeps compiled templates and record plans
// from chunk to chunk: the records of a shape it has read twice are read
// by a plan, and a template defined the same in a third chunk is not
// compiled again.
// A Decoder is for one goroutine at a time: a program that decodes on
// several makes one for each, and hands each the chunks it reads.
func ExampleDecoder() {
	dec := evtx.NewDecoder()
	records := 0
	for range 3 {
		f, err := os.Open("testdata/planned.evtx")
		if err != nil {
			panic(err)
		}
		r, err := evtx.NewReader(f)
		if err != nil {
			panic(err)
		}
		for {
			c, err := r.NextChunk()
			if err == io.EOF {
				break
			} else if err != nil {
				panic(err)
			}
			if err := dec.Reset(c); err != nil {
				fmt.Println("skipped:", err)
			}
			for {
				rec, err := dec.Next()
				if err == io.EOF {
					break
				} else if err != nil {
					fmt.Println("skipped:", err)
					continue
				}
				rec.AppendJSON(nil)
				records++
			}
			c.Release()
		}
		f.Close()
	}
	s := dec.Stats()
	fmt.Printf("%d records: %d read by plans, %d into trees; %d templates compiled, %d reused\n", records, s.Planned, s.Tree, s.Compiled, s.Reused)
	// Output:
	// 18 records: 16 read by plans, 2 into trees; 4 templates compiled, 2 reused
}
