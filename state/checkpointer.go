package state

import (
	"time"

	"github.com/syscam/syscam/event"
)

// Checkpointer tells a recorder when to write a checkpoint of its engine: every
// Interval of event time, at a boundary between two instants so that the checkpoint
// holds every event before it and none after. Use it as
//
//	cp := state.Checkpointer{Interval: time.Minute}
//	for each event ev, in timestamp order:
//		if at, evs, ok := cp.Before(engine, ev); ok {
//			w.WriteState(at, evs)
//		}
//		w.Write(ev)
//		engine.Apply(ev)
//
// A Checkpointer is not safe for concurrent use.
type Checkpointer struct {
	Interval time.Duration // 0: never
	next     int64
}

// Before reports whether a checkpoint is due before ev is written and applied, and
// returns it with the instant to file it under (e.Now()+1: after every event applied
// so far, before ev). It is due once Interval has passed since the previous one (or
// since the first event) and ev is later than every event applied: events sharing an
// instant are never split across a checkpoint.
func (c *Checkpointer) Before(e *Engine, ev *event.Event) (at int64, evs []*event.Event, ok bool) {
	if c.Interval <= 0 {
		return 0, nil, false
	}
	if c.next == 0 {
		c.next = ev.Time + int64(c.Interval)
		return 0, nil, false
	}
	if ev.Time < c.next || ev.Time <= e.Now() {
		return 0, nil, false
	}
	c.next = ev.Time + int64(c.Interval)
	return e.Now() + 1, e.Checkpoint(nil), true
}
