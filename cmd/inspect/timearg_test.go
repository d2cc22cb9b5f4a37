package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseTimeArg(t *testing.T) {
	start := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC).UnixNano()
	at := func(h, m, s, ns int) int64 { return time.Date(2026, 11, 27, h, m, s, ns, time.UTC).UnixNano() }
	tests := []struct {
		name, in string
		want     int64
	}{
		{"an offset in seconds counts from the start", "+90s", at(6, 1, 30, 0)},
		{"an offset in hours and minutes counts from the start", "+1h2m", at(7, 2, 0, 0)},
		{"RFC 3339 in UTC is taken as is", "2026-11-27T06:14:03Z", at(6, 14, 3, 0)},
		{"RFC 3339 with a zone is converted", "2026-11-27T07:14:03+01:00", at(6, 14, 3, 0)},
		{"RFC 3339 keeps fractional seconds", "2026-11-27T06:14:03.25Z", at(6, 14, 3, 250e6)},
		{"a clock time is on the capture's day", "06:14:03", at(6, 14, 3, 0)},
		{"a clock time may have a fraction", "06:14:03.5", at(6, 14, 3, 500e6)},
		{"a clock time may omit seconds", "08:30", at(8, 30, 0, 0)},
		{"a clock time before the start is on the next day", "01:00", at(1, 0, 0, 0) + int64(24*time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTimeArg(tt.in, start)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("parseTimeArg(%q) = %v, want %v", tt.in, time.Unix(0, got).UTC(), time.Unix(0, tt.want).UTC())
			}
		})
	}
}

func TestParseTimeArgRejectsBadInput(t *testing.T) {
	for _, in := range []string{"", "+", "+-5s", "yesterday", "25:00", "2026-13-01T00:00:00Z", "+5x"} {
		_, err := parseTimeArg(in, 0)
		if err == nil || !strings.Contains(err.Error(), "parse time") {
			t.Errorf("parseTimeArg(%q) error = %v, want a parse time error", in, err)
		}
	}
}

// A command reads clock times in the zone it prints them in: 'events --tz' prints
// 07:14:03 in Paris for 06:14:03 UTC, and --from 07:14:03 must name that instant.
func TestParseTimeArgReadsClockTimesInTheGivenZone(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	start := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC).UnixNano()
	for _, tc := range []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"07:14:03", paris, time.Date(2026, 11, 27, 6, 14, 3, 0, time.UTC)},
		{"07:14:03", time.UTC, time.Date(2026, 11, 27, 7, 14, 3, 0, time.UTC)},
		// 06:30 in Paris is 05:30 UTC, before the start: the next day's.
		{"06:30", paris, time.Date(2026, 11, 28, 5, 30, 0, 0, time.UTC)},
		// Offsets and RFC 3339 do not depend on the zone.
		{"+90s", paris, time.Date(2026, 11, 27, 6, 1, 30, 0, time.UTC)},
		{"2026-11-27T06:14:03Z", paris, time.Date(2026, 11, 27, 6, 14, 3, 0, time.UTC)},
	} {
		got, err := parseTimeArgIn(tc.in, start, tc.loc)
		if err != nil || got != tc.want.UnixNano() {
			t.Errorf("parseTimeArgIn(%q, %s) = %v, %v; want %v", tc.in, tc.loc, time.Unix(0, got).UTC(), err, tc.want)
		}
	}
}
