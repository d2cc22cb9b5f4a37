package report

import (
	"io"
	"sync"
	"sync/atomic"
)

// BackgroundWriter hands actions to an output function running on its own goroutine,
// in batches, so that formatting and writing lines overlap the replay that finds them
// instead of adding to it. Actions keep their order.
type BackgroundWriter struct {
	batch  []Action
	full   chan []Action
	free   chan []Action
	wg     sync.WaitGroup
	closed bool
	failed atomic.Bool
	err    error // set before failed, read after it
}

// backgroundBatch is how many actions travel together: large enough that the channel
// costs nothing per action, small enough that lines keep flowing.
const backgroundBatch = 512

// NewBackgroundWriter starts a goroutine that calls out for each action written. Call
// Close to wait for it.
func NewBackgroundWriter(out func(*Action) error) *BackgroundWriter {
	b := &BackgroundWriter{full: make(chan []Action, 4), free: make(chan []Action, 5)}
	for range cap(b.free) {
		b.free <- make([]Action, 0, backgroundBatch)
	}
	b.batch = <-b.free
	b.wg.Add(1)
	go b.run(b.full, out)
	return b
}

func (b *BackgroundWriter) run(full <-chan []Action, out func(*Action) error) {
	defer b.wg.Done()
	for batch := range full {
		for i := range batch {
			if b.failed.Load() {
				break
			}
			if err := out(&batch[i]); err != nil {
				b.err = err
				b.failed.Store(true)
			}
		}
		b.free <- batch[:0]
	}
}

// Write queues a copy of a. It returns the output's error once one happened.
func (b *BackgroundWriter) Write(a *Action) error {
	if b.failed.Load() {
		return b.err
	}
	b.batch = append(b.batch, *a)
	if len(b.batch) == backgroundBatch {
		b.full <- b.batch
		b.batch = <-b.free
	}
	return nil
}

// Close writes what is queued, stops the goroutine and returns the output's first
// error.
func (b *BackgroundWriter) Close() error {
	if b.closed {
		return b.err
	}
	b.closed = true
	if len(b.batch) > 0 {
		b.full <- b.batch
	}
	close(b.full)
	b.wg.Wait()
	return b.err
}

// TimelineOutput is a Timeline whose lines are written in one of TimelineFormats on a
// background goroutine: what inspect timeline runs.
type TimelineOutput struct {
	*Timeline
	tw *TimelineWriter
	bw *BackgroundWriter
}

// NewTimelineOutput returns a TimelineOutput writing to w; give its Add to Run.
func NewTimelineOutput(w io.Writer, format string) (*TimelineOutput, error) {
	tw, err := NewTimelineWriter(w, format)
	if err != nil {
		return nil, err
	}
	bw := NewBackgroundWriter(tw.Write)
	return &TimelineOutput{Timeline: NewTimeline(bw.Write), tw: tw, bw: bw}, nil
}

// Close ends the output after a run that returned runErr: when the run succeeded it
// writes the lines still open (Finish). It waits for the background writer, flushes,
// and returns runErr or else the first error of these steps.
func (o *TimelineOutput) Close(runErr error) error {
	err := runErr
	if err == nil {
		err = o.Finish()
	}
	if cerr := o.bw.Close(); err == nil {
		err = cerr
	}
	if cerr := o.tw.Close(); err == nil {
		err = cerr
	}
	return err
}
