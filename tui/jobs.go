package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/data"
)

// loadMsg carries one report of the load.
type loadMsg struct{ data.LoadMsg }

// narrowMsg carries one report of the scan that applies the filter and range.
type narrowMsg struct {
	gen int
	msg data.ScanMsg
	ch  <-chan data.ScanMsg
}

func (m *Model) waitLoad() tea.Cmd {
	ch := m.load.ch
	return func() tea.Msg {
		l, ok := <-ch
		if !ok {
			return nil
		}
		return loadMsg{l}
	}
}

// applyLoad shows a load report in every page.
func (m *Model) applyLoad(l loadMsg) tea.Cmd {
	m.load.last = l.LoadMsg
	m.load.procs = l.Procs
	m.tree.SetProcs(l.Procs)
	if m.procOpen {
		m.proc.SetProcs(l.Procs)
	}
	m.alerts.SetAlerts(l.Alerts, l.AlertCount)
	m.load.hist = l.Hist
	if !m.narrowed() {
		m.timeline.SetHist(l.Hist)
	}
	m.indexAlerts(l.Alerts)
	if l.Done {
		return nil
	}
	return m.waitLoad()
}

func (m *Model) indexAlerts(as []data.Alert) {
	m.narrow.alertNums = make(map[uint64]bool, len(as))
	for _, a := range as {
		m.narrow.alertNums[a.Num] = true
	}
}

// narrowed reports whether a filter or a time range is in force.
func (m *Model) narrowed() bool {
	return m.narrow.filter != nil || m.narrow.to != 0
}

func (m *Model) scanSpec() data.ScanSpec {
	return data.ScanSpec{Filter: m.narrow.filter, From: m.narrow.from, To: m.narrow.to}
}

// renarrow applies a new filter or range: the scan that counts matches per process
// and over time restarts, and so does the open process's event list.
func (m *Model) renarrow() tea.Cmd {
	if m.narrow.cancel != nil {
		m.narrow.cancel()
		m.narrow.cancel = nil
	}
	m.narrow.gen++
	m.narrow.scan = data.ScanMsg{}
	m.narrow.matched = map[uint64]bool{}
	var cmds []tea.Cmd
	if m.procOpen {
		cmds = append(cmds, m.proc.ScanCmd(m.scanSpec()))
	}
	if !m.narrowed() {
		m.tree.SetCounts(nil)
		m.alerts.SetKeep(nil)
		m.timeline.SetHist(m.load.hist)
		return tea.Batch(cmds...)
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.narrow.cancel = cancel
	spec := m.scanSpec()
	spec.Counts = true
	cmds = append(cmds, waitNarrow(m.narrow.gen, data.Scan(ctx, m.trace, spec)))
	m.tree.SetCounts(map[int32]uint64{})
	m.alerts.SetKeep(m.keepAlert)
	return tea.Batch(cmds...)
}

func waitNarrow(gen int, ch <-chan data.ScanMsg) tea.Cmd {
	return func() tea.Msg {
		s, ok := <-ch
		if !ok {
			return nil
		}
		return narrowMsg{gen: gen, msg: s, ch: ch}
	}
}

func (m *Model) applyNarrow(n narrowMsg) tea.Cmd {
	if n.gen != m.narrow.gen {
		return nil
	}
	m.narrow.scan = n.msg
	for _, num := range n.msg.Nums {
		if m.narrow.alertNums[num] {
			m.narrow.matched[num] = true
		}
	}
	m.tree.SetCounts(n.msg.PIDs)
	m.timeline.SetHist(n.msg.Hist)
	m.alerts.SetKeep(m.keepAlert)
	if n.msg.Done {
		return nil
	}
	return waitNarrow(n.gen, n.ch)
}

// keepAlert says whether an alert lies in the range and its event matches the filter.
func (m *Model) keepAlert(a *data.Alert) bool {
	if m.narrow.to != 0 && (a.Time < m.narrow.from || a.Time >= m.narrow.to) {
		return false
	}
	return m.narrow.filter == nil || m.narrow.matched[a.Num]
}
