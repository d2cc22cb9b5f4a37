package query

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestClockMatchesTimeFormat checks the fast evt.time and evt.datetime rendering
// against time.Format, across zones with daylight saving changes and across days.
func TestClockMatchesTimeFormat(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skipf("time zone data: %v", err)
		}
		zones = append(zones, loc)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var c clockCache
	ns := int64(1711846800) * 1e9 // 2024-03-31T01:00:00Z, a DST change in Paris
	for i := 0; i < 20000; i++ {
		ns += rng.Int64N(int64(2 * time.Hour))
		if i%1000 == 0 {
			ns -= int64(300 * 24 * time.Hour) // go back: the cache must not assume order
		}
		loc := zones[i%len(zones)]
		tm := time.Unix(0, ns).In(loc)
		for _, tt := range []struct {
			date, frac bool
			layout     string
		}{
			{false, true, "15:04:05.000000000"},
			{true, true, "2006-01-02 15:04:05.000000000"},
			{true, false, "2006-01-02 15:04:05"},
		} {
			got := string(c.appendClock(nil, ns, loc, tt.date, tt.frac))
			if want := tm.Format(tt.layout); got != want {
				t.Fatalf("%d in %s: got %s, want %s", ns, loc, got, want)
			}
		}
	}
	if got := string(c.appendClock(nil, -1, time.UTC, true, true)); got != "1969-12-31 23:59:59.999999999" {
		t.Errorf("before the epoch: %s", got)
	}
}
