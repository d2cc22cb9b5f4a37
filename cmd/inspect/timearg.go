package main

import (
	"fmt"
	"strings"
	"time"
)

// timeArgHelp describes the TIME syntax for the commands' help texts.
const timeArgHelp = `TIME is one of:
  2026-11-27T06:14:03Z        RFC 3339, with or without fractional seconds and zone
  06:14:03, 06:14:03.250      a clock time on the capture's day, in the zone the
                              command prints times in (UTC; for 'events', its --tz,
                              local by default); a time before the start is taken
                              on the next day
  +90s, +1h2m                 an offset from the start of the capture
`

// parseTimeArg returns the instant (ns since the epoch) that s names, for a capture
// that starts at start (ns). A clock time is read in UTC.
func parseTimeArg(s string, start int64) (int64, error) { return parseTimeArgIn(s, start, time.UTC) }

// parseTimeArgIn is parseTimeArg with clock times read in loc: a command reads them in
// the zone it prints times in, so that a time copied from its output names the same
// instant.
func parseTimeArgIn(s string, start int64, loc *time.Location) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("parse time: empty")
	}
	if off, ok := strings.CutPrefix(s, "+"); ok {
		d, err := time.ParseDuration(off)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("parse time %q: want an offset like +90s or +1h2m", s)
		}
		return start + int64(d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixNano(), nil
	}
	if t, ok := parseClock(s); ok {
		y, m, d := time.Unix(0, start).In(loc).Date()
		at := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(t)
		if at.UnixNano() < start-int64(time.Second) && start != 0 {
			at = time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(t)
		}
		return at.UnixNano(), nil
	}
	return 0, fmt.Errorf("parse time %q: want RFC 3339 (2026-11-27T06:14:03Z), a clock time (06:14:03) or an offset (+90s)", s)
}

// parseClock parses "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff" as a duration since midnight.
func parseClock(s string) (time.Duration, bool) {
	for _, layout := range []string{"15:04:05.999999999", "15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			h, m, sec := t.Clock()
			return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
				time.Duration(sec)*time.Second + time.Duration(t.Nanosecond()), true
		}
	}
	return 0, false
}
