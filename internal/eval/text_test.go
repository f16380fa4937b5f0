package eval

import "testing"

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{
		4: "4.0", 0.5: "0.5", -2.25: "-2.25", 1e7: "1.0E7", 1.5e21: "1.5E21", 1e-4: "1.0E-4",
		0.001: "0.001", 123456.789: "123456.789", 0: "0.0",
	} {
		if got := JavaDouble(f); got != want {
			t.Errorf("JavaDouble(%v) = %q, want %q", f, got, want)
		}
	}
}
