package progress

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestBarDrawsAfterTheDelayWithRateAndETA(t *testing.T) {
	for _, tc := range []struct {
		name  string
		total uint64
		at    time.Duration
		done  uint64
		want  string
	}{
		{"nothing before the delay", 10e6, time.Second, 1e6, ""},
		{"percentage, rate and ETA", 10e6, 4 * time.Second, 4e6,
			"\rstats  [==========>              ]  40%  4.0M/10.0M events  1.0M/s  ETA 6s\x1b[K"},
		{"an unknown total shows the count and rate", 0, 3 * time.Second, 1500, "\rstats  1.5k events  500/s\x1b[K"},
		{"a full bar has no ETA", 2e6, 3 * time.Second, 2e6,
			"\rstats  [=========================] 100%  2.0M/2.0M events  666.7k/s\x1b[K"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			c := &clock{time.Unix(1000, 0)}
			b := newBar(&buf, "stats", "events", tc.total, true, c.now)
			c.t = c.t.Add(tc.at)
			b.Set(tc.done)
			if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBarIsSilentOffATerminalAndClearsItsLine(t *testing.T) {
	var buf bytes.Buffer
	if IsTerminal(&buf) {
		t.Fatal("a buffer is not a terminal")
	}
	c := &clock{time.Unix(1000, 0)}
	off := newBar(&buf, "x", "events", 10, false, c.now)
	c.t = c.t.Add(time.Minute)
	off.Set(5)
	off.Done()
	if buf.Len() != 0 {
		t.Errorf("a bar off a terminal wrote %q", buf.String())
	}
	on := newBar(&buf, "x", "events", 10, true, c.now)
	c.t = c.t.Add(time.Minute)
	on.Set(5)
	buf.Reset()
	on.Done()
	if got := buf.String(); got != "\r\x1b[K" {
		t.Errorf("Done wrote %q, want the line cleared", got)
	}
}
