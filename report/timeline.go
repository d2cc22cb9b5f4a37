package report

import (
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// Timeline turns events into actions (see Action and the Kind constants) and hands
// them, in time order, to an output function. Writes to one fd, and the I/O of one
// connection, fold into one line per process and fd that counts the calls and bytes;
// it is written when the fd is closed, the process exits, or the run ends (Finish).
// Lines wait behind an unfinished fold so that output stays in time order; past
// maxPending waiting lines the oldest fold is cut short (its line says so by its
// count, and later writes start a new line), which bounds memory.
type Timeline struct {
	out     func(*Action) error
	classes []class // by event type
	queue   []*pending
	head    int
	folds   map[foldKey]*pending
	spare   []*pending // lines written, for reuse
	err     error

	// one-entry cache of folds: runs of I/O on one fd are the common case
	lastKey  foldKey
	lastFold *pending

	maxPending int
}

type pending struct {
	Action
	open bool
	key  foldKey
}

type foldKey struct {
	host int
	pid  int32
	fd   *state.FD
}

// defaultMaxPending bounds the lines waiting behind an unfinished fold.
const defaultMaxPending = 1 << 16

// NewTimeline returns a Timeline that calls out for each line, in time order. The
// Action is reused once out returns: copy what must be kept. An error from out stops
// the timeline: Add and Finish return it.
func NewTimeline(out func(*Action) error) *Timeline {
	return &Timeline{out: out, classes: classTable(), folds: map[foldKey]*pending{}, maxPending: defaultMaxPending}
}

// Add turns one event into actions.
func (t *Timeline) Add(r *Record) error {
	if t.err != nil {
		return t.err
	}
	ev := r.Event
	c := clsNone
	if int(ev.Type) < len(t.classes) {
		c = t.classes[ev.Type]
	}
	if c == clsNone || ev.Flags&event.FlagEnter != 0 || (r.View.Process == nil && c != clsDrop) {
		return nil
	}
	t.classify(r, c)
	t.flush()
	return t.err
}

// Finish writes the lines of the folds still open. Call it once after Run.
func (t *Timeline) Finish() error {
	for _, p := range t.queue[t.head:] {
		p.open = false
	}
	clear(t.folds)
	t.flush()
	return t.err
}

// emit queues a finished action.
func (t *Timeline) emit(a *Action) {
	p := t.newPending()
	p.Action = *a
	t.enqueue(p)
}

// enqueue appends p, cutting the oldest fold short when too many lines wait.
func (t *Timeline) enqueue(p *pending) {
	t.queue = append(t.queue, p)
	if len(t.queue)-t.head > t.maxPending {
		t.finishFold(t.queue[t.head])
	}
}

// fold returns the open fold of (process, fd), starting one from a when there is none.
func (t *Timeline) fold(r *Record, a *Action) *pending {
	k := foldKey{r.Host.Index, r.View.Process.PID, r.View.FD}
	if p := t.openFold(k); p != nil {
		return p
	}
	p := t.newPending()
	p.Action, p.open, p.key = *a, true, k
	t.folds[k] = p
	t.enqueue(p)
	return p
}

func (t *Timeline) finishFold(p *pending) {
	if p.open {
		p.open = false
		delete(t.folds, p.key)
	}
}

// closeFolds ends the folds of a process's fd (fd != nil) or of all its fds.
func (t *Timeline) closeFolds(host int, pid int32, fd *state.FD) {
	if fd != nil {
		if p := t.folds[foldKey{host, pid, fd}]; p != nil {
			t.finishFold(p)
		}
		return
	}
	for k, p := range t.folds {
		if k.host == host && k.pid == pid {
			t.finishFold(p)
		}
	}
}

// flush writes the finished lines at the head of the queue.
func (t *Timeline) flush() {
	for t.head < len(t.queue) && !t.queue[t.head].open && t.err == nil {
		p := t.queue[t.head]
		t.queue[t.head] = nil
		t.head++
		t.err = t.out(&p.Action)
		t.spare = append(t.spare, p)
	}
	if t.head == len(t.queue) {
		t.queue, t.head = t.queue[:0], 0
	} else if t.head > 1024 && t.head > len(t.queue)/2 {
		n := copy(t.queue, t.queue[t.head:])
		clear(t.queue[n:])
		t.queue, t.head = t.queue[:n], 0
	}
}

// newPending returns an empty line, reused when one was written already: the
// timeline allocates little once it runs.
func (t *Timeline) newPending() *pending {
	if n := len(t.spare); n > 0 {
		p := t.spare[n-1]
		t.spare = t.spare[:n-1]
		if p == t.lastFold {
			t.lastFold = nil
		}
		*p = pending{}
		return p
	}
	return new(pending)
}

// openFold returns the open fold of k, or nil.
func (t *Timeline) openFold(k foldKey) *pending {
	if t.lastFold != nil && t.lastKey == k && t.lastFold.open {
		return t.lastFold
	}
	p := t.folds[k]
	if p != nil {
		t.lastKey, t.lastFold = k, p
	}
	return p
}
