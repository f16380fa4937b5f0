package pipeline

import (
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

// TestRunLiveArrayPartial checks that the elements of a live JSON array
// (framed by one stream reader) are matched while the next element is
// half written and the input is silent (they waited for the element's
// end: issue 21 review, the pause logic with arrays), that Run then
// returns while the input stays open when emit fails or Config.Stop is
// closed, and that no goroutine of the run is left once the input's
// pending read returns.
func TestRunLiveArrayPartial(t *testing.T) {
	for _, how := range []string{"emit", "stop"} {
		t.Run(how, func(t *testing.T) {
			base := runtime.NumGoroutine()
			r, w := io.Pipe()
			stop := make(chan struct{})
			failed := errors.New("emit failed")
			done := make(chan error, 1)
			emitted := make(chan struct{}, 1)
			cfg := Config{Ruleset: ruleset(t), Workers: 2, Pause: 5 * time.Millisecond, Stop: stop}
			go func() {
				_, err := Run(cfg, r, func(res *Result) error {
					select {
					case emitted <- struct{}{}:
					default:
					}
					if how == "emit" {
						return failed
					}
					return nil
				})
				done <- err
			}()
			io.WriteString(w, "[\n  {\"n\":\"hit\"},\n  {\"n\":\"miss\"},\n  {\"n\":")
			select {
			case <-emitted:
			case <-time.After(10 * time.Second):
				t.Fatal("no element was matched while the array was open")
			}
			if how == "stop" {
				close(stop)
			}
			select {
			case err := <-done:
				want := error(ErrStopped)
				if how == "emit" {
					want = failed
				}
				if !errors.Is(err, want) {
					t.Errorf("Run: %v, want %v", err, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return while the input stayed open")
			}
			w.Close() // the read pending in the feed returns
			deadline := time.Now().Add(10 * time.Second)
			for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > base {
				buf := make([]byte, 1<<16)
				t.Errorf("%d goroutines left of %d before the run:\n%s", n, base, buf[:runtime.Stack(buf, true)])
			}
		})
	}
}
