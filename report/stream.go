package report

import (
	"cmp"
	"fmt"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/state"
)

// Options select the events a report sees.
type Options struct {
	Filter   *query.Filter // nil: every event
	From, To int64         // event time bounds, ns, To exclusive; 0: unbounded
	// Location is the time zone of the time fields the filter and the caller's
	// formats read (evt.time); nil means UTC.
	Location *time.Location
	// Start is the origin of evt.reltime; 0: the earliest host's first event.
	Start int64
	// Narrow, when its Types, TIDs or PIDs are set, reads only those events (a
	// filter's push-down bounds, as query.Scan.Selection computes them): the state
	// then sees only them too, so the caller must ask for what its fields need.
	Narrow format.Selection
	// NoState skips the state replay (Record.View is nil), for callers whose filter
	// and output read the event alone.
	NoState bool
	// Progress, when set, is called with the number of events read so far (in the
	// window or before it) every few tens of thousands of events, and once at the end.
	Progress func(read uint64)
}

// Record is one event of the merged stream with its place in its host's state. It is
// reused for the next event.
type Record struct {
	Host  *Host
	Event *event.Event
	View  *state.View
	// Input is the event as the filter saw it, with the host's name and machine id. Reports
	// that format fields (export) evaluate them on it.
	Input *query.Input
}

// progressEvery is how many events pass between Progress calls: often enough for a
// bar to move, rarely enough to cost nothing.
const progressEvery = 1 << 16

// Run replays every host's files and calls fn for each event in [From, To) that
// matches the filter, in time order across hosts. An error from fn stops the run and
// is returned as is.
func Run(hosts []*Host, opt Options, fn func(r *Record) error) error {
	m, err := newMerger(hosts, opt)
	if err != nil {
		return err
	}
	defer m.close()
	rec := &Record{Input: &query.Input{Start: cmp.Or(opt.Start, m.start), Location: opt.Location}}
	var read uint64
	for c := m.next(); c != nil; c = m.next() {
		read++
		if opt.Progress != nil && read%progressEvery == 0 {
			opt.Progress(read)
		}
		ev := &c.ev
		var v *state.View
		if !opt.NoState {
			v = c.host.eng.Apply(ev)
		}
		if ev.Time < opt.From || (opt.To != 0 && ev.Time >= opt.To) {
			continue
		}
		rec.Host, rec.Event, rec.View = c.host, ev, v
		rec.Input.Event, rec.Input.View = ev, v
		rec.Input.Hostname, rec.Input.HostID = c.host.Name, c.host.MachineID
		if opt.Filter != nil && !opt.Filter.Match(rec.Input) {
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if opt.Progress != nil {
		opt.Progress(read)
	}
	return m.err()
}

// cursor reads one file; its event is the next one the merge may pick. A cursor
// starts dormant, ordered by the first event time of its file's index, and starts
// reading only when the merge reaches that time: a rotated set of a hundred files
// keeps one or two files decoding at a time, not a hundred.
type cursor struct {
	host *Host
	file int // position in host.Files
	r    File
	sel  format.Selection
	key  int64 // time of ev, or of the file's first event while dormant
	base uint64
	it   *format.Events // nil while dormant
	ev   event.Event
}

func (c *cursor) less(d *cursor) bool {
	if c.key != d.key {
		return c.key < d.key
	}
	if c.host.Index != d.host.Index {
		return c.host.Index < d.host.Index
	}
	return c.file < d.file
}

// step moves to the next event of the file; false at its end, with err set on error.
func (c *cursor) step() (ok bool, err error) {
	if !c.it.Next(&c.ev) {
		if err := c.it.Err(); err != nil {
			return false, fmt.Errorf("read events of %s: %w", c.r.Name(), err)
		}
		return false, nil
	}
	c.ev.Num += c.base
	c.key = c.ev.Time
	return true, nil
}

// merger is a k-way merge of cursors on a binary min-heap; with one cursor it is a
// plain loop.
type merger struct {
	heap    []*cursor
	all     []*cursor
	pending *cursor // popped last time; advanced on the next call
	start   int64
	first   error
}

func newMerger(hosts []*Host, opt Options) (*merger, error) {
	m := &merger{}
	for _, h := range hosts {
		from := opt.From
		if !opt.NoState {
			var err error
			if from, err = loadState(h, opt.From); err != nil {
				m.close()
				return nil, err
			}
		}
		sel := opt.Narrow
		sel.From, sel.To = from, opt.To
		m.addHost(h, sel)
		if t := h.Start(); m.start == 0 || t < m.start {
			m.start = t
		}
	}
	for _, c := range m.all {
		m.push(c)
	}
	return m, nil
}

func (m *merger) addHost(h *Host, sel format.Selection) {
	var base uint64
	for i, r := range h.Files {
		c := &cursor{host: h, file: i, r: r, sel: sel, base: base, key: firstTime(r)}
		n, _ := fileCount(r)
		base += n
		if skippable(r, sel) {
			continue
		}
		m.all = append(m.all, c)
	}
}

// loadState gives h a fresh engine loaded with the state section to start from: the
// nearest checkpoint at or before from, else the initial state of its first file. It
// returns the time to start reading events at.
func loadState(h *Host, from int64) (int64, error) {
	h.eng = state.New(state.Config{})
	if from > 0 {
		at, evs, err := checkpointBefore(h, from)
		if err != nil {
			return 0, err
		}
		if evs != nil {
			h.eng.Load(evs)
			return at, nil
		}
	}
	evs, err := h.Files[0].InitialState()
	if err != nil {
		return 0, fmt.Errorf("read initial state of %s: %w", h.Files[0].Name(), err)
	}
	h.eng.Load(evs)
	return 0, nil
}

func checkpointBefore(h *Host, from int64) (int64, []*event.Event, error) {
	var bestAt int64
	var best []*event.Event
	for _, r := range h.Files {
		at, evs, err := checkpointOf(r, from)
		if err != nil {
			return 0, nil, err
		}
		if evs != nil && at <= from && at > bestAt {
			bestAt, best = at, evs
		}
	}
	return bestAt, best, nil
}

// advance reads c's next event and puts c back in the heap, or retires it.
func (m *merger) advance(c *cursor) {
	ok, err := c.step()
	if err != nil && m.first == nil {
		m.first = err
	}
	if ok {
		m.push(c)
	}
}

// next returns the cursor holding the earliest event, or nil at the end or after an
// error. A dormant cursor that comes first starts reading and goes back in the heap
// with its real first event.
func (m *merger) next() *cursor {
	if m.pending != nil {
		m.advance(m.pending)
		m.pending = nil
	}
	for len(m.heap) > 0 && m.first == nil {
		c := m.pop()
		if c.it == nil {
			c.it = c.r.Events(c.sel)
			m.advance(c)
			continue
		}
		m.pending = c
		return c
	}
	return nil
}

func (m *merger) push(c *cursor) {
	m.heap = append(m.heap, c)
	for i := len(m.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if !m.heap[i].less(m.heap[p]) {
			break
		}
		m.heap[i], m.heap[p] = m.heap[p], m.heap[i]
		i = p
	}
}

func (m *merger) pop() *cursor {
	h := m.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	m.heap = h[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && m.heap[l].less(m.heap[small]) {
			small = l
		}
		if r := l + 1; r < n && m.heap[r].less(m.heap[small]) {
			small = r
		}
		if small == i {
			break
		}
		m.heap[i], m.heap[small] = m.heap[small], m.heap[i]
		i = small
	}
	return top
}

func (m *merger) err() error { return m.first }

func (m *merger) close() {
	for _, c := range m.all {
		if c.it != nil {
			c.it.Close()
		}
	}
}
