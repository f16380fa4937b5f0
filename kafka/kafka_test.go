package kafka

import (
	"testing"
	"time"
)

// TestOneMember runs one member over both phases of the script: every
// alert, committed to the end, the bad records reported and counted.
func TestOneMember(t *testing.T) {
	seeds := newCluster(t)
	p := testProgram(t)
	const hosts = 30
	produce(t, seeds, script(hosts, 1))
	produce(t, seeds, script(hosts, 2))
	m := start(t, seeds, p)
	waitCommitted(t, seeds, 20*time.Second)
	st := m.c.Stats()
	m.stop(t)
	checkAlerts(t, seeds, hosts)
	if st.Bad != 12 || len(m.bad) != 12 || st.Events != hosts*8+12 || st.Hits != 3*hosts || st.Lag != 0 {
		t.Errorf("stats %+v, bad %q", st, m.bad)
	}
}
