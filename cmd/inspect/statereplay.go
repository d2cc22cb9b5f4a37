package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/format/scap"
	"github.com/syscam/syscam/state"
)

// trace is what inspect reads as one timeline: syscam trace files (files,
// directories, rotated sets) or one sysdig/Falco capture, with its time range.
type trace struct {
	set         format.Source
	syscam      *format.Set // nil for a .scap capture, which has no checkpoints
	first, last int64       // ns of the first and last event; last is 0 when unknown
}

// openTrace opens FILE... as one timeline. A sysdig/Falco capture is recognised by
// its content, whatever its name, and is read alone.
func openTrace(paths []string, stderr io.Writer) (*trace, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no trace file given")
	}
	src, err := scap.OpenSource(paths...)
	if err != nil {
		return nil, err
	}
	s, ok := src.(*format.Set)
	if !ok {
		t := &trace{set: src}
		if r, ok := src.(*scap.Reader); ok {
			t.first = r.FirstTime()
		}
		return t, nil
	}
	t := &trace{set: s, syscam: s}
	warnRecovered(stderr, s.Readers())
	for _, r := range s.Readers() {
		first, last := r.TimeRange()
		if r.Count() == 0 {
			continue
		}
		if t.first == 0 || first < t.first {
			t.first = first
		}
		t.last = max(t.last, last)
	}
	// The capture starts when the recorder did, before its first event.
	if c := s.Header().Created; c != 0 && (t.first == 0 || c < t.first) {
		t.first = c
	}
	return t, nil
}

// openTraceAt opens FILE... and parses a --at value against it; the caller closes
// t.set.
func openTraceAt(files []string, at string, stderr io.Writer) (t *trace, instant int64, err error) {
	if t, err = openTrace(files, stderr); err != nil {
		return nil, 0, err
	}
	if err := t.oneHost(); err != nil {
		t.set.Close()
		return nil, 0, err
	}
	if instant, err = t.atArg(at); err != nil {
		t.set.Close()
		return nil, 0, fmt.Errorf("--at: %w", err)
	}
	return t, instant, nil
}

// atArg parses a --at value against the trace's start; "" means the end.
func (t *trace) atArg(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	at, err := parseTimeArg(s, t.first)
	if err != nil {
		return 0, err
	}
	if at < t.first || (t.last != 0 && at > t.last) {
		return 0, fmt.Errorf("time %s is outside the capture (%s to %s)",
			fmtTime(at), fmtTime(t.first), fmtTime(t.last))
	}
	return at, nil
}

// replay rebuilds the state as it stood at `at` (every event with a time ≤ at
// applied), or at the end of the trace when at is 0. It starts from the nearest state
// section before at (a checkpoint the recorder wrote, else the initial state), so the
// cost follows the distance from that checkpoint, not the length of the trace.
func (t *trace) replay(at int64, cfg state.Config) (*state.Engine, error) {
	from, snap, err := t.stateBefore(at)
	if err != nil {
		return nil, fmt.Errorf("read state section: %w", err)
	}
	e := state.New(cfg)
	e.Load(snap)
	sel := format.Selection{From: from}
	if at != 0 {
		sel.To = at + 1
	}
	it := t.set.Events(sel)
	defer it.Close()
	var ev event.Event
	for it.Next(&ev) {
		e.Apply(&ev)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return e, nil
}

func (t *trace) stateBefore(at int64) (int64, []*event.Event, error) {
	if at == 0 || t.syscam == nil {
		evs, err := t.set.InitialState()
		return 0, evs, err
	}
	return t.syscam.StateBefore(at)
}

// fmtTime renders an instant as RFC 3339 with milliseconds, in UTC.
func fmtTime(ns int64) string {
	return time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// fmtClock renders an instant as a clock time, in UTC.
func fmtClock(ns int64) string {
	if ns == 0 {
		return "-"
	}
	return time.Unix(0, ns).UTC().Format("15:04:05.000")
}

// fmtDuration renders a duration rounded for reading: 1.5s, 3m20s, 2h0m5s.
func fmtDuration(ns int64) string {
	d := time.Duration(ns)
	switch {
	case d < 0:
		return "-"
	case d < time.Millisecond:
		return d.String()
	case d < time.Second:
		return d.Round(time.Microsecond).String()
	case d < time.Minute:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// oneHost refuses files from several machines: a process tree or an fd table is one
// machine's state, and merging two would mix unrelated pids.
func (t *trace) oneHost() error {
	hosts := t.hosts()
	if len(hosts) < 2 {
		return nil
	}
	var names []string
	for _, h := range hosts {
		name := cmp.Or(h.Name, h.ID)
		names = append(names, fmt.Sprintf("%s (%d file%s)", name, len(h.Files), plural(len(h.Files))))
	}
	return fmt.Errorf("the files come from %d machines: %s; this command shows one machine's state, so give the files of one of them",
		len(hosts), strings.Join(names, ", "))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
