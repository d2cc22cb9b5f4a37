// Package follow is the fd follow page: the reassembled I/O of one fd, each call's
// bytes under a line with its time, direction and size, as text or as hex.
package follow

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/list"
	"github.com/syscam/syscam/tui/data"
)

// ResultMsg carries a finished follow.
type ResultMsg struct {
	target data.Target
	res    *data.FollowResult
	err    error
}

// Model is the follow page.
type Model struct {
	common.Common
	trace  *data.Trace
	target data.Target
	res    *data.FollowResult
	err    error
	hex    bool
	list   list.Model
}

// New returns the page for trace t.
func New(c common.Common, t *data.Trace) Model {
	return Model{Common: c, trace: t, list: list.New(c)}
}

// SetSize sizes the page.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.list.SetSize(w, h-1)
	m.list.Top = 2
	m.list.SetCursor(m.list.Cursor())
}

// LoadCmd follows target within [from, to), off the UI goroutine.
func (m *Model) LoadCmd(target data.Target, from, to int64) tea.Cmd {
	m.target, m.res, m.err = target, nil, nil
	m.setLines([]string{m.Styles.Dim.Render("reassembling " + m.name() + "…")})
	t := m.trace
	return func() tea.Msg {
		res, err := data.Follow(t, target, from, to)
		return ResultMsg{target: target, res: res, err: err}
	}
}

// name says what is followed.
func (m Model) name() string {
	s := fmt.Sprintf("fd %d of process %d", m.target.FD, m.target.PID)
	if m.target.HasConn {
		s += fmt.Sprintf(" (connection %s->%s)", m.target.Conn[0], m.target.Conn[1])
	}
	return s
}

// Update handles the page's keys and its load.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ResultMsg:
		if msg.target == m.target {
			m.res, m.err = msg.res, msg.err
			m.setLines(m.render())
		}
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.KeyMap.NextTab) {
			m.hex = !m.hex
			m.setLines(m.render())
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return m, cmd
}

func (m *Model) setLines(lines []string) {
	m.list.SetRows(func(from, n, _ int) []string { return lines[from : from+n] })
	m.list.SetLen(len(lines))
	m.list.SetCursor(0)
}

// View draws the title and the data.
func (m Model) View() string {
	mode := "text"
	if m.hex {
		mode = "hex"
	}
	title := m.Styles.Title.Render(m.name()) + m.Styles.Dim.Render("  ("+mode+"; tab: text/hex)")
	return title + "\n" + m.list.View()
}

func (m Model) render() []string {
	if m.err != nil {
		return []string{m.Styles.Error.Render(m.err.Error())}
	}
	if len(m.res.Chunks) == 0 {
		return []string{m.Styles.Dim.Render("no I/O recorded on this fd")}
	}
	out := []string{fmt.Sprintf("%d calls, %d bytes recorded", len(m.res.Chunks), m.res.Bytes)}
	for _, c := range m.res.Chunks {
		out = append(out, m.chunk(c)...)
	}
	if m.res.Dropped > 0 {
		out = append(out, m.Styles.Dim.Render(fmt.Sprintf("[%d more calls not shown: past %d MiB]", m.res.Dropped, 4)))
	}
	return out
}

func (m Model) chunk(c data.Chunk) []string {
	dir, st := "in ", m.Styles.In
	if c.Out {
		dir, st = "out", m.Styles.Out
	}
	head := fmt.Sprintf("── %s %s %s %d bytes  %s", common.Rel(c.Time, m.trace.First), dir, c.Syscall, len(c.Data), c.Stream)
	if c.Missing > 0 {
		head += fmt.Sprintf("  [%d bytes not recorded]", c.Missing)
	}
	out := []string{m.Styles.Dim.Render(head)}
	var body []string
	if m.hex {
		body = common.HexDump(c.Data)
	} else {
		body = strings.Split(strings.TrimSuffix(common.Printable(c.Data), "\n"), "\n")
	}
	for _, l := range body {
		out = append(out, st.Render(strings.ReplaceAll(l, "\t", "    ")))
	}
	return out
}
