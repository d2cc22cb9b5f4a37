// Package reporttest writes small trace files from events in statetest's text
// notation, for the tests of package report and of inspect's report commands.
//
// Each line is a statetest line, optionally followed by directives that the notation
// has no syntax for:
//
//	@orig=N   the first byte-buffer parameter was N bytes long before the snaplen cut
//	@lat=N    the syscall's latency, ns
//	@cpu=N    the CPU
//
// and a line "@checkpoint" alone writes a state checkpoint at that point.
//
// Times are seconds after Base (2026-11-27T06:00:00Z). Snapshot events (procinfo,
// fdinfo, userinfo, ...) before the first other event form the initial state.
package reporttest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
	"github.com/syscam/syscam/state/statetest"
)

// Base is the time that line times count from, ns since the epoch.
const Base int64 = 1795759200e9

// Parse parses the lines into the initial state and the events.
func Parse(text string) (snap, evs []*event.Event, err error) {
	snap, evs, _, err = parse(text)
	return snap, evs, err
}

// parse also returns where "@checkpoint" lines stand: before which event (index).
func parse(text string) (snap, evs []*event.Event, marks []int, err error) {
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "@checkpoint" {
			marks = append(marks, len(evs))
			continue
		}
		line, dirs := cutDirectives(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ev := new(event.Event)
		if err := statetest.ParseLine(ev, line); err != nil {
			return nil, nil, nil, fmt.Errorf("parse event at line %d: %w", n+1, err)
		}
		if err := applyDirectives(ev, dirs); err != nil {
			return nil, nil, nil, fmt.Errorf("parse event at line %d: %w", n+1, err)
		}
		ev.Time += Base
		if ev.Info().Category == event.CatState && len(evs) == 0 {
			snap = append(snap, ev)
			continue
		}
		evs = append(evs, ev)
	}
	return snap, evs, marks, nil
}

func cutDirectives(line string) (string, []string) {
	line = strings.TrimSpace(line)
	i := strings.Index(line, " @")
	if i < 0 {
		return line, nil
	}
	return strings.TrimSpace(line[:i]), strings.Fields(line[i:])
}

func applyDirectives(ev *event.Event, dirs []string) error {
	for _, d := range dirs {
		name, val, _ := strings.Cut(strings.TrimPrefix(d, "@"), "=")
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return fmt.Errorf("directive %s: %w", d, err)
		}
		switch name {
		case "orig":
			i := firstBytes(ev)
			if i < 0 {
				return fmt.Errorf("directive %s: event has no byte buffer", d)
			}
			ev.Params[i].Orig = uint32(n)
		case "lat":
			ev.Latency = n
		case "cpu":
			ev.CPU = uint16(n)
		default:
			return fmt.Errorf("unknown directive %s", d)
		}
	}
	return nil
}

func firstBytes(ev *event.Event) int {
	info := ev.Info()
	for i := 0; i < int(ev.NParams); i++ {
		if info.ParamKind(i) == event.KindBytes {
			return i
		}
	}
	return -1
}

// Write writes a trace file at path for host from the text, with the given capture
// statistics. A line "@checkpoint" writes a state section there, made by a
// state.Engine that replayed the events before it, as the recorder writes them.
func Write(path string, host format.Host, snaplen uint32, stats format.Stats, text string) (err error) {
	snap, evs, marks, err := parse(text)
	if err != nil {
		return err
	}
	h := format.Header{Host: host, Recorder: "reporttest", Snaplen: snaplen, Created: Base}
	w, err := format.Create(path, h, format.WriterOptions{})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}()
	if len(snap) > 0 {
		if err := w.WriteState(Base, snap); err != nil {
			return err
		}
	}
	eng := state.New(state.Config{})
	eng.Load(snap)
	for i, ev := range evs {
		for len(marks) > 0 && marks[0] == i {
			marks = marks[1:]
			if err := w.WriteState(eng.Now()+1, eng.Checkpoint(nil)); err != nil {
				return err
			}
		}
		if err := w.Write(ev); err != nil {
			return err
		}
		eng.Apply(ev)
	}
	w.SetStats(stats)
	return nil
}
