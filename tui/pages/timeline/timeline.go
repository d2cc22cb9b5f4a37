// Package timeline is the time histogram page: the trace's activity over time
// (matching events only, under a filter), where a selected range narrows every view.
package timeline

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/histogram"
	"github.com/syscam/syscam/tui/data"
)

// Model is the histogram page.
type Model struct {
	common.Common
	hist  histogram.Model
	total uint64
}

// New returns the page over h.
func New(c common.Common, h data.Hist) Model {
	return Model{Common: c, hist: histogram.New(c, h)}
}

// SetSize sizes the page; top is its first screen row.
func (m *Model) SetSize(w, h, top int) {
	m.Common.SetSize(w, h)
	m.hist.SetSize(w, h-2)
	m.hist.Top = top + 2
}

// SetHist replaces the counts shown.
func (m *Model) SetHist(h data.Hist) {
	m.hist.SetHist(h)
	m.total = 0
	for _, c := range h.Counts {
		m.total += c
	}
}

// SetRange shows the range in force.
func (m *Model) SetRange(from, to int64) { m.hist.SetRange(from, to) }

// Update forwards to the histogram.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.hist, cmd = m.hist.Update(msg)
	return m, cmd
}

// View draws a title and the histogram.
func (m Model) View() string {
	title := m.Styles.Title.Render("Activity over time") + fmt.Sprintf("  %d events", m.total)
	hint := m.Styles.Dim.Render("←/→: move · enter: mark the range's start, then its end · x: clear the range")
	return title + "\n" + hint + "\n" + m.hist.View()
}
