package data

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/query"
)

// maxRows caps the positions one scan keeps (8 bytes each); the count goes on.
const maxRows = 16 << 20

// errStop ends a scan early without an error.
var errStop = errors.New("stop")

// ScanSpec says which events a scan keeps.
type ScanSpec struct {
	Filter   *query.Filter // nil: every event
	From, To int64         // ns, To exclusive; 0: unbounded
	PID      int32         // 0: every process
	Counts   bool          // count matches per pid and per histogram bucket
}

// ScanMsg reports a scan's progress. Nums holds the positions found since the
// previous report, in order. PIDs and Hist, when counting, are cumulative copies.
type ScanMsg struct {
	Nums    []uint64
	Matched uint64
	Read    uint64
	PIDs    map[int32]uint64
	Hist    Hist
	Done    bool
	Err     error
}

// Scan finds the positions of the events spec keeps, in a goroutine, reporting
// every new batch on the returned channel (closed at the end). Every report is
// delivered: the receiver must drain the channel or cancel ctx.
func Scan(ctx context.Context, t *Trace, spec ScanSpec) <-chan ScanMsg {
	ch := make(chan ScanMsg, 4)
	go func() {
		defer close(ch)
		s := &scanner{t: t, spec: spec, ch: ch, ctx: ctx, next: time.Now().Add(progressEvery / 3)}
		if spec.Counts {
			s.pids, s.hist = map[int32]uint64{}, NewHist(t.First, t.Last)
		}
		err := s.run()
		if errors.Is(err, errStop) || errors.Is(err, context.Canceled) {
			err = nil
		}
		s.flush(true, err)
	}()
	return ch
}

type scanner struct {
	t       *Trace
	spec    ScanSpec
	ch      chan ScanMsg
	ctx     context.Context
	batch   []uint64
	matched uint64
	read    uint64
	pids    map[int32]uint64
	hist    Hist
	next    time.Time
}

func (s *scanner) run() error {
	if s.spec.Filter == nil {
		return s.plain()
	}
	sc := &query.Scan{Filter: s.spec.Filter, From: s.spec.From, To: s.spec.To, Start: s.t.First, Location: time.UTC}
	err := sc.Run(s.t.Set, func(in *query.Input) error {
		if s.spec.PID != 0 && in.Event.PID != s.spec.PID {
			return s.tick()
		}
		return s.keep(in.Event)
	})
	if err != nil && !errors.Is(err, errStop) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("scan events: %w", err)
	}
	return err
}

// plain reads without a filter, pushing the time range and pid down to the index.
func (s *scanner) plain() error {
	sel := format.Selection{From: s.spec.From, To: s.spec.To}
	if s.spec.PID != 0 {
		sel.PIDs = []int32{s.spec.PID}
	}
	it := s.t.Set.Events(sel)
	defer it.Close()
	var e event.Event
	for it.Next(&e) {
		if err := s.keep(&e); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return nil
}

func (s *scanner) keep(e *event.Event) error {
	s.matched++
	if s.matched <= maxRows {
		s.batch = append(s.batch, e.Num)
	}
	if s.pids != nil {
		s.pids[e.PID]++
		s.hist.Add(e.Time, 1)
	}
	return s.tick()
}

// tick counts a read event and reports when it is time.
func (s *scanner) tick() error {
	s.read++
	if s.read%1024 != 0 {
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if now := time.Now(); now.After(s.next) {
		s.next = now.Add(progressEvery)
		s.flush(false, nil)
	}
	return s.ctx.Err()
}

func (s *scanner) flush(done bool, err error) {
	m := ScanMsg{Nums: s.batch, Matched: s.matched, Read: s.read, Done: done, Err: err}
	if s.pids != nil {
		m.PIDs = make(map[int32]uint64, len(s.pids))
		for k, v := range s.pids {
			m.PIDs[k] = v
		}
		m.Hist = s.hist.Clone()
	}
	s.batch = nil
	select {
	case s.ch <- m:
	case <-s.ctx.Done():
	}
}
