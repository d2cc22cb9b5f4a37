// Package eventview is the event detail page: every argument of one event (buffers
// as text and as hex) and every filter field that has a value for it, computed on
// the state replayed up to the event.
package eventview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/list"
	"github.com/syscam/syscam/tui/data"
)

// DetailMsg carries a loaded event.
type DetailMsg struct {
	num    uint64
	detail *data.Detail
	err    error
}

// Model is the event page.
type Model struct {
	common.Common
	trace  *data.Trace
	num    uint64
	detail *data.Detail
	err    error
	list   list.Model
	lines  []string
}

// New returns the page for trace t.
func New(c common.Common, t *data.Trace) Model {
	m := Model{Common: c, trace: t, list: list.New(c)}
	return m
}

// SetSize sizes the page.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.list.SetSize(w, h)
	m.list.Top = 1
	m.list.SetCursor(m.list.Cursor())
}

// Num returns the position of the event shown.
func (m Model) Num() uint64 { return m.num }

// LoadCmd shows event num, loading it off the UI goroutine.
func (m *Model) LoadCmd(num uint64) tea.Cmd {
	m.num, m.detail, m.err = num, nil, nil
	m.setLines([]string{m.Styles.Dim.Render(fmt.Sprintf("loading event %d…", num))})
	t := m.trace
	return func() tea.Msg {
		d, err := data.LoadDetail(t, num)
		return DetailMsg{num: num, detail: d, err: err}
	}
}

// Update handles the page's keys and its loads.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case DetailMsg:
		if msg.num == m.num {
			m.detail, m.err = msg.detail, msg.err
			m.setLines(m.render())
		}
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.KeyMap.Follow) && m.detail != nil && m.detail.FD >= 0 {
			f := common.FollowMsg{Target: m.detail.Target}
			return m, func() tea.Msg { return f }
		}
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return m, cmd
}

func (m *Model) setLines(lines []string) {
	m.lines = lines
	m.list.SetRows(func(from, n, _ int) []string { return lines[from : from+n] })
	m.list.SetLen(len(lines))
	m.list.SetCursor(0)
}

// View draws the event.
func (m Model) View() string { return m.list.View() }

func (m Model) render() []string {
	if m.err != nil {
		return []string{m.Styles.Error.Render(m.err.Error())}
	}
	d, s := m.detail, m.Styles
	e := d.Event
	out := []string{
		s.Title.Render(fmt.Sprintf("Event #%d  %s", e.Num, e.Name())) + "  " + common.Clock(e.Time) + "  " + common.Rel(e.Time, m.trace.First),
		fmt.Sprintf("tid %d  pid %d  cpu %d  return %d  latency %s", e.TID, e.PID, e.CPU, e.Ret, common.Dur(e.Latency)),
	}
	if d.FD >= 0 {
		out = append(out, s.Dim.Render(fmt.Sprintf("fd %d: press o to follow its I/O", d.FD)))
	}
	out = append(out, "", s.Header.Render("ARGUMENTS"))
	for _, p := range d.Params {
		out = append(out, m.param(p)...)
	}
	out = append(out, "", s.Header.Render("FIELDS"))
	for _, f := range d.Fields {
		out = append(out, fmt.Sprintf("  %-24s %s", f.Name, common.OneLine([]byte(f.Value))))
	}
	return out
}

// param draws one argument; a buffer also as text and as a hex dump.
func (m Model) param(p data.Param) []string {
	out := []string{fmt.Sprintf("  %-12s %s", p.Name, common.OneLine([]byte(p.Value)))}
	if len(p.Bytes) == 0 {
		return out
	}
	out = append(out, m.Styles.Dim.Render(fmt.Sprintf("    text (%d bytes recorded):", len(p.Bytes))))
	for _, l := range strings.Split(common.Printable(p.Bytes), "\n") {
		out = append(out, "      "+strings.ReplaceAll(l, "\t", "    "))
	}
	out = append(out, m.Styles.Dim.Render("    hex:"))
	for _, l := range common.HexDump(p.Bytes) {
		out = append(out, "      "+l)
	}
	return out
}
