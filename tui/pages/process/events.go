package process

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/data"
)

// ScanMsg carries one report of the page's event scan.
type ScanMsg struct {
	gen int
	msg data.ScanMsg
	ch  <-chan data.ScanMsg
}

// events is the state of the events tab's scan.
type events struct {
	gen    int
	cancel context.CancelFunc
	nums   []uint64
	done   bool
	err    error
}

func waitScan(gen int, ch <-chan data.ScanMsg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return ScanMsg{gen: gen, msg: m, ch: ch}
	}
}

// ScanCmd starts the scan of the process's events under spec, dropping the one
// running.
func (m *Model) ScanCmd(spec data.ScanSpec) tea.Cmd {
	m.stopScan()
	ctx, cancel := context.WithCancel(context.Background())
	m.ev = events{gen: m.ev.gen + 1, cancel: cancel}
	m.events.SetLen(0)
	spec.PID = m.proc.PID
	return waitScan(m.ev.gen, data.Scan(ctx, m.trace, spec))
}

func (m *Model) stopScan() {
	if m.ev.cancel != nil {
		m.ev.cancel()
	}
}

// addScan takes in one report; stale ones (of a replaced scan) are dropped.
func (m *Model) addScan(s ScanMsg) tea.Cmd {
	if s.gen != m.ev.gen {
		return nil
	}
	old := len(m.ev.nums)
	m.ev.nums = append(m.ev.nums, s.msg.Nums...)
	m.ev.done, m.ev.err = s.msg.Done, s.msg.Err
	m.events.SetLen(len(m.ev.nums))
	if m.pending != 0 {
		for i, n := range m.ev.nums[old:] {
			if n == m.pending {
				m.events.SetCursor(old + i)
				m.pending = 0
				break
			}
		}
	}
	if s.msg.Done {
		return nil
	}
	return waitScan(s.gen, s.ch)
}

// Rows read around the screen when it shows a row not cached (the trace caches 4096).
const (
	prefetchBefore = 512
	prefetchAfter  = 1024
)

// eventRows renders event rows from the trace's block cache.
func (m Model) eventRows(from, n, width int) []string {
	out := make([]string, 0, n)
	var args []byte
	// When a visible row is not cached, read a window around the screen with it, so
	// that the next few hundred moves of the cursor find their events cached.
	var err error
	if visible := m.ev.nums[from : from+n]; !m.trace.Cached(visible) {
		lo, hi := max(0, from-prefetchBefore), min(len(m.ev.nums), from+n+prefetchAfter)
		err = m.trace.Prefetch(m.ev.nums[lo:hi])
	}
	if err == nil {
		err = m.trace.Visit(m.ev.nums[from:from+n], func(e *event.Event) {
			args = e.AppendArgs(args[:0])
			out = append(out, EventLine(e, m.trace.First, args))
		})
	}
	if err != nil {
		out = append(out, m.Styles.Error.Render(err.Error()))
	}
	return out
}

// EventLine is one event as the lists show it.
func EventLine(e *event.Event, origin int64, args []byte) string {
	dir := "<" // an exit, as sysdig marks them
	if e.Flags&event.FlagEnter != 0 {
		dir = ">"
	}
	return fmt.Sprintf("%9d %+12.6f %7d %s %-14s %5d %s", e.Num, float64(e.Time-origin)/1e9, e.TID, dir, e.Name(), e.Ret, common.OneLine(args))
}
