package report

import (
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

// Batches of decoded events move from a file's reader goroutine to the replay, so
// that decoding (format) and replaying (state, reports) run on two cores.
const (
	batchEvents = 512
	batchCount  = 3 // batches per file: one being filled, one queued, one being replayed
)

// prefetch decodes one file's events in its own goroutine, batchEvents at a time,
// into a few reused batches: events are decoded in place, never copied.
type prefetch struct {
	it   *format.Events
	full chan []event.Event
	free chan []event.Event
	done chan struct{}
	gone chan struct{} // closed when the goroutine has returned
	err  error         // the iterator's error; read after full is closed
}

func startPrefetch(it *format.Events) *prefetch {
	p := &prefetch{it: it, full: make(chan []event.Event, batchCount), free: make(chan []event.Event, batchCount),
		done: make(chan struct{}), gone: make(chan struct{})}
	for i := 0; i < batchCount; i++ {
		p.free <- make([]event.Event, batchEvents)
	}
	go p.run()
	return p
}

func (p *prefetch) run() {
	defer close(p.gone)
	defer close(p.full)
	for {
		var batch []event.Event
		select {
		case batch = <-p.free:
		case <-p.done:
			return
		}
		n := 0
		for n < len(batch) && p.it.Next(&batch[n]) {
			n++
		}
		if n > 0 {
			select {
			case p.full <- batch[:n]:
			case <-p.done:
				return
			}
		}
		if n < len(batch) {
			p.err = p.it.Err()
			return
		}
	}
}

// next returns the next batch, or nil at the end (then see err).
func (p *prefetch) next() []event.Event { return <-p.full }

// recycle hands a replayed batch back for filling.
func (p *prefetch) recycle(b []event.Event) { p.free <- b[:cap(b)] }

// close stops the goroutine and closes the iterator once it has returned.
func (p *prefetch) close() error {
	close(p.done)
	<-p.gone
	return p.it.Close()
}
