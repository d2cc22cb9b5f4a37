// Package alerts is the alerts page: the rule hits of the load, newest last, each
// opening its event beneath its process.
package alerts

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/key"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/list"
	"github.com/syscam/syscam/tui/data"
)

const header = "        TIME  PRIORITY       PID  RULE / OUTPUT"

// Model is the alerts page.
type Model struct {
	common.Common
	origin int64
	all    []data.Alert
	shown  []data.Alert
	total  int
	keep   func(a *data.Alert) bool
	list   list.Model
}

// New returns an empty page; origin is the trace's first instant.
func New(c common.Common, origin int64) Model {
	m := Model{Common: c, origin: origin, list: list.New(c, list.WithHeader(header))}
	return m
}

// SetSize sizes the page.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.list.SetSize(w, h-1)
	m.list.Top = 1
	m.list.SetCursor(m.list.Cursor())
}

// SetAlerts replaces the alerts; total counts those past the kept maximum too.
func (m *Model) SetAlerts(a []data.Alert, total int) {
	m.all, m.total = a, total
	m.refilter()
}

// SetKeep narrows the alerts shown to those keep accepts; nil shows every one.
func (m *Model) SetKeep(keep func(a *data.Alert) bool) {
	m.keep = keep
	m.refilter()
}

func (m *Model) refilter() {
	m.shown = m.all
	if m.keep != nil {
		m.shown = nil
		for i := range m.all {
			if m.keep(&m.all[i]) {
				m.shown = append(m.shown, m.all[i])
			}
		}
	}
	m.list.SetLen(len(m.shown))
}

func (m Model) rows(as []data.Alert) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		pri := m.Styles.Badge.Render(common.Pad(a.Priority.String(), 12))
		out = append(out, fmt.Sprintf("%12s  %s %6d  %s: %s", common.Rel(a.Time, m.origin), pri, a.PID, a.Rule, common.OneLine([]byte(a.Output))))
	}
	return out
}

// Update opens the selected alert's event on Enter and moves the cursor.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.KeyMap.Open) && len(m.shown) > 0 {
		a := m.shown[m.list.Cursor()]
		return m, func() tea.Msg { return common.OpenEventMsg{Num: a.Num, Proc: a.Proc} }
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return m, cmd
}

// View draws the list and a count.
func (m Model) View() string {
	foot := fmt.Sprintf("%d alerts", len(m.shown))
	if len(m.shown) != m.total {
		foot += fmt.Sprintf(" shown of %d", m.total)
	}
	m.list.SetRows(func(from, n, _ int) []string { return m.rows(m.shown[from : from+n]) })
	return m.list.View() + "\n" + m.Styles.Dim.Render(foot+" · enter: open the event")
}
