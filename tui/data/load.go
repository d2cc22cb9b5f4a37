package data

import (
	"context"
	"fmt"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/rules"
	"github.com/syscam/syscam/state"
)

// maxAlerts caps the alerts a load keeps; the count goes on.
const maxAlerts = 100_000

// progressEvery is how often a load or scan reports while it runs.
const progressEvery = 150 * time.Millisecond

// Alert is one rule hit.
type Alert struct {
	Num      uint64
	Time     int64
	PID      int32
	Proc     int // Proc.ID of the process the event belongs to
	Rule     string
	Priority rules.Priority
	Output   string
}

// LoadMsg reports a load's progress. Procs, Alerts and Hist are snapshots the
// receiver may keep; Procs is nil in a report that carries no new snapshot.
type LoadMsg struct {
	Read, Total uint64
	Procs       []Proc
	Alerts      []Alert
	AlertCount  int
	Hist        Hist
	Done        bool
	Err         error
}

// Load replays the whole trace in a goroutine: the process table, per-process
// event counts, files and connections, rule alerts (when re is not nil) and the
// activity histogram. It reports on the returned channel, which it closes at the
// end; intermediate reports are dropped when the receiver is behind.
func Load(ctx context.Context, t *Trace, re *rules.Engine) <-chan LoadMsg {
	ch := make(chan LoadMsg, 1)
	go func() {
		defer close(ch)
		l := &loader{t: t, pt: newProcTable(), eng: state.New(state.Config{}), hist: NewHist(t.First, t.Last)}
		if re != nil {
			l.match = re.NewMatcher()
		}
		msg := l.run(ctx, ch)
		select {
		case ch <- msg:
		case <-ctx.Done():
		}
	}()
	return ch
}

type loader struct {
	t      *Trace
	pt     *procTable
	eng    *state.Engine
	match  *rules.Matcher
	hist   Hist
	alerts []Alert
	nalert int
	read   uint64
}

func (l *loader) run(ctx context.Context, ch chan LoadMsg) LoadMsg {
	snap, err := l.t.Set.InitialState()
	if err != nil {
		return l.msg(true, fmt.Errorf("load initial state: %w", err))
	}
	l.eng.Load(snap)
	for p := range l.eng.Processes() {
		l.pt.id(p)
	}
	l.send(ch, l.msg(false, nil))
	err = l.replay(ctx, ch)
	return l.msg(true, err)
}

func (l *loader) replay(ctx context.Context, ch chan LoadMsg) error {
	it := l.t.Set.Events(format.Selection{})
	defer it.Close()
	in := &query.Input{Start: l.t.First, Hostname: l.t.Header.Host.Hostname, Location: time.UTC}
	var e event.Event
	next := time.Now().Add(progressEvery)
	for it.Next(&e) {
		l.apply(&e, in)
		if l.read%4096 != 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if now := time.Now(); now.After(next) {
			next = now.Add(progressEvery)
			l.send(ch, l.msg(false, nil))
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	return nil
}

// apply replays one event and records what the UI shows of it.
func (l *loader) apply(e *event.Event, in *query.Input) {
	l.read++
	v := l.eng.Apply(e)
	l.hist.Add(e.Time, 1)
	if v == nil || v.Process == nil {
		return // a notice or a state record: no process to count it for
	}
	id := l.pt.id(v.Process)
	l.pt.procs[id].Events++
	if v.FD != nil && e.Info().Has(event.CreatesFD) && !e.Failed() {
		l.pt.addFD(id, v.FDNum, v.FD)
	}
	if l.match == nil {
		return
	}
	in.Event, in.View = e, v
	l.match.Match(in, func(cr *rules.CompiledRule) {
		l.nalert++
		l.pt.procs[id].Alerts++
		if len(l.alerts) < maxAlerts {
			l.alerts = append(l.alerts, Alert{Num: e.Num, Time: e.Time, PID: e.PID, Proc: id,
				Rule: cr.Name, Priority: cr.Priority, Output: string(cr.AppendOutput(nil, in))})
		}
	})
}

func (l *loader) msg(done bool, err error) LoadMsg {
	return LoadMsg{Read: l.read, Total: l.t.Count, Procs: l.pt.snapshot(l.eng),
		Alerts: l.alerts[:len(l.alerts):len(l.alerts)], AlertCount: l.nalert,
		Hist: l.hist.Clone(), Done: done, Err: err}
}

// send delivers m unless the receiver has not taken the previous report yet.
func (l *loader) send(ch chan LoadMsg, m LoadMsg) {
	select {
	case ch <- m:
	default:
	}
}
