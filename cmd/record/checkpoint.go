package main

import (
	"fmt"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
)

// checkpointSink is the recorder's sink with --checkpoint: it replays every event into
// a state engine and, every interval of event time, writes the engine's whole state as
// a checkpoint section, so that a replay can start near any instant. Without
// --checkpoint the trace writer is the sink itself and nothing is replayed.
type checkpointSink struct {
	w   *format.Writer
	eng *state.Engine
	cp  state.Checkpointer
	buf []*event.Event
}

func newCheckpointSink(w *format.Writer, every time.Duration, initial []*event.Event) *checkpointSink {
	eng := state.New(state.Config{})
	eng.Load(initial)
	return &checkpointSink{w: w, eng: eng, cp: state.Checkpointer{Interval: every}}
}

// Write checkpoints when state.Checkpointer says one is due before e, then applies and
// writes e.
func (c *checkpointSink) Write(e *event.Event) error {
	if at, evs, ok := c.cp.Before(c.eng, e); ok {
		if err := c.w.WriteState(at, evs); err != nil {
			return fmt.Errorf("write checkpoint: %w", err)
		}
	}
	c.eng.Apply(e)
	return c.w.Write(e)
}

// Flush ends the writer's current block.
func (c *checkpointSink) Flush() error { return c.w.Flush() }

// rotateState gives each new file of a rotated set the state at its start.
func (c *checkpointSink) rotateState() (int64, []*event.Event) {
	c.buf = c.eng.Checkpoint(c.buf[:0])
	return c.eng.Now() + 1, c.buf
}
