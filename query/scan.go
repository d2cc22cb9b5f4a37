package query

import (
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
)

// Scan reads a trace for one filter: it pushes the filter's bounds down to the block
// index, replays the state only when the filter or the output reads it, and hands
// every matching event to a callback.
//
// Push-down and state pull in opposite directions: a replay must see the events that
// change the state even when the filter rejects them. So the selection is exact (types,
// threads, time) when no state is needed; with process state it adds the process
// lifecycle and credential types to the filter's types and starts from the nearest
// checkpoint before From; with fd state it cannot drop any type.
type Scan struct {
	Filter   *Filter // nil: every event
	Needs    Need    // what the caller reads besides the filter (the output's fields)
	From, To int64   // event time bounds, ns, To exclusive; 0: unbounded
	Location *time.Location
	// Start is the trace's first instant, the origin of evt.reltime; 0: the source's
	// first event.
	Start int64
}

// stateSource is implemented by sources with checkpoints (*format.Reader, *format.Set).
type stateSource interface {
	StateBefore(t int64) (at int64, evs []*event.Event, err error)
}

type timeRanger interface {
	TimeRange() (first, last int64)
}

// AllNeeds returns the state the scan replays: what the filter and the caller read.
func (s *Scan) AllNeeds() Need {
	if s.Filter == nil {
		return s.Needs
	}
	return s.Needs | s.Filter.Needs()
}

// Selection returns what Run asks the source for, and whether anything can match.
func (s *Scan) Selection() (format.Selection, bool) {
	b := Bounds{}
	needs := s.AllNeeds()
	if s.Filter != nil {
		b = s.Filter.Bounds()
	}
	if b.Empty {
		return format.Selection{}, false
	}
	sel := format.Selection{From: maxTime(s.From, b.From), To: minTime(s.To, b.To)}
	if sel.To != 0 && sel.From >= sel.To {
		return sel, false
	}
	switch {
	case needs == NeedEvent:
		sel.Types, sel.TIDs, sel.PIDs = b.Types, b.TIDs, b.PIDs
		// Nothing replays state, so events the filter rejects are needed by no one.
		sel.Keep = s.Filter.BlockPredicate()
	case needs&NeedFD == 0 && b.Types != nil:
		sel.Types = append(append([]event.Type(nil), b.Types...), processTypes()...)
	}
	return sel, true
}

// Run calls fn for each event of src that lies in [From, To) and matches the filter.
// in is reused: copy what must outlive the call. An error from fn stops the scan and
// is returned.
func (s *Scan) Run(src format.Source, fn func(in *Input) error) error {
	sel, ok := s.Selection()
	if !ok {
		return nil
	}
	needs := s.AllNeeds()
	h := src.Header().Host
	in := &Input{Location: s.Location, Hostname: h.Hostname, HostID: h.MachineID, Start: s.Start}
	if tr, ok := src.(timeRanger); ok && in.Start == 0 {
		in.Start, _ = tr.TimeRange()
	}
	var eng *state.Engine
	if needs != NeedEvent {
		var err error
		if eng, sel.From, err = s.loadState(src, sel.From); err != nil {
			return err
		}
	}
	return s.loop(src, sel, eng, in, fn)
}

// loadState builds an engine from the state section nearest before from and returns
// where the replay must start reading events.
func (s *Scan) loadState(src format.Source, from int64) (*state.Engine, int64, error) {
	eng := state.New(state.Config{})
	if ss, ok := src.(stateSource); ok && from > 0 {
		at, evs, err := ss.StateBefore(from)
		if err != nil {
			return nil, 0, err
		}
		eng.Load(evs)
		if evs == nil {
			at = 0
		}
		return eng, at, nil
	}
	evs, err := src.InitialState()
	if err != nil {
		return nil, 0, err
	}
	eng.Load(evs)
	return eng, 0, nil
}

func (s *Scan) loop(src format.Source, sel format.Selection, eng *state.Engine, in *Input, fn func(*Input) error) error {
	it := src.Events(sel)
	defer it.Close()
	var e event.Event
	in.Event = &e
	for it.Next(&e) {
		if in.Start == 0 {
			in.Start = e.Time
		}
		if eng != nil {
			in.View = eng.Apply(&e)
		}
		if e.Time < s.From || (s.To != 0 && e.Time >= s.To) {
			continue
		}
		if s.Filter != nil && !s.Filter.Match(in) {
			continue
		}
		if err := fn(in); err != nil {
			return err
		}
	}
	return it.Err()
}

// processTypes are the event types that change threads, processes and credentials:
// a replay reading proc.*, user.* or container.* fields must see them all.
func processTypes() []event.Type {
	var ts []event.Type
	for _, in := range event.All() {
		switch in.Category {
		case event.CatProcess, event.CatCred, event.CatState:
			ts = append(ts, in.Type)
			continue
		}
		if in.Name == "chdir" || in.Name == "fchdir" {
			ts = append(ts, in.Type)
		}
	}
	return ts
}

func maxTime(a, b int64) int64 { return max(a, b) }

// minTime is the earlier of two exclusive ends, where 0 means none.
func minTime(a, b int64) int64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}
