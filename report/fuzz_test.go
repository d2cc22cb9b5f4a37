package report

import (
	"strings"
	"testing"
)

// FuzzParseConn checks that any --conn text gives a tuple or an error, never a panic,
// and that a parsed tuple prints back to text that parses to the same tuple.
func FuzzParseConn(f *testing.F) {
	for _, s := range []string{"10.0.0.1:5000->10.0.0.2:80", "[::1]:80 [::1]:5000", "1.2.3.4:5-6.7.8.9:10", "", "->", "[::1]:80->"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ends, err := ParseConn(s)
		if err != nil {
			return
		}
		again, err := ParseConn(ends[0].String() + "->" + ends[1].String())
		if err != nil || again != ends {
			t.Fatalf("ParseConn(%q) = %v, but its text parses to %v, %v", s, ends, again, err)
		}
	})
}

// FuzzParseFD checks --fd PID:FD the same way.
func FuzzParseFD(f *testing.F) {
	for _, s := range []string{"1234:3", "1:0", ":", "-1:3", "99999999999:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pid, fd, err := ParseFD(s)
		if err != nil {
			return
		}
		if pid <= 0 || fd < 0 || !strings.Contains(s, ":") {
			t.Fatalf("ParseFD(%q) = %d, %d: accepted a bad value", s, pid, fd)
		}
	})
}
