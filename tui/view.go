package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/syscam/syscam/tui/common"
)

// View draws the title bar, the page (or the help overlay), the filter bar and the
// key hints, in the alternate screen with the mouse on.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "inspect tui"
	return v
}

// Render returns the screen as text: what View shows, for tests.
func (m *Model) Render() string {
	body := m.pageView()
	if m.help {
		body = m.helpView()
	}
	body = fitHeight(body, m.bodyHeight())
	parts := []string{m.titleBar()}
	if n := m.trace.Incomplete; n != "" {
		// Under the title on every page: a cut trace read as a whole capture
		// would mislead (events and drops missing without a sign).
		parts = append(parts, m.Styles.Error.Render(ansi.Truncate(" "+n, m.Width, "…")))
	}
	parts = append(parts, body)
	if f := m.filter.View(); f != "" {
		parts = append(parts, f)
	}
	parts = append(parts, m.hints())
	return strings.Join(parts, "\n")
}

func (m *Model) pageView() string {
	switch m.page {
	case PageProcess:
		return m.proc.View()
	case PageEvent:
		return m.event.View()
	case PageFollow:
		return m.follow.View()
	case PageAlerts:
		return m.alerts.View()
	case PageTimeline:
		return m.timeline.View()
	}
	return m.tree.View()
}

// bodyHeight is the page's height: the screen less the title, the notice of a cut
// trace, the filter bar and the key hints.
func (m *Model) bodyHeight() int {
	h := m.Height - 2 - m.filter.Height()
	if m.trace.Incomplete != "" {
		h--
	}
	return max(3, h)
}

// fitHeight cuts or pads s to exactly h lines.
func fitHeight(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

var pageNames = map[Page]string{PageTree: "processes", PageProcess: "process", PageEvent: "event",
	PageFollow: "fd follow", PageAlerts: "alerts", PageTimeline: "histogram"}

// titleBar names the trace, the page, the load's progress and what narrows the views.
func (m *Model) titleBar() string {
	t, l := m.trace, m.load.last
	parts := []string{"syscam " + hostname(t.Header.Host.Hostname), pageNames[m.page],
		fmt.Sprintf("%d events", t.Count), fmt.Sprintf("%d processes", len(m.load.procs))}
	if l.AlertCount > 0 {
		parts = append(parts, fmt.Sprintf("%d alerts", l.AlertCount))
	}
	switch {
	case l.Err != nil:
		parts = append(parts, "load failed: "+l.Err.Error())
	case !l.Done:
		parts = append(parts, fmt.Sprintf("loading %d%%", percent(l.Read, l.Total)))
	}
	if m.narrowed() {
		parts = append(parts, m.narrowStatus())
	}
	line := ansi.Truncate(" "+strings.Join(parts, " · "), m.Width, "…")
	return m.Styles.StatusBar.Render(line + strings.Repeat(" ", max(0, m.Width-lipgloss.Width(line))))
}

func (m *Model) narrowStatus() string {
	s := m.narrow.scan
	var parts []string
	if m.narrow.to != 0 {
		parts = append(parts, "range "+common.Rel(m.narrow.from, m.trace.First)+"…"+common.Rel(m.narrow.to, m.trace.First))
	}
	matched := fmt.Sprintf("%d matching", s.Matched)
	if !s.Done {
		matched += "…"
	}
	return strings.Join(append(parts, matched), " · ")
}

func hostname(h string) string {
	if h == "" {
		return "trace"
	}
	return h
}

func percent(a, b uint64) int {
	if b == 0 {
		return 100
	}
	return int(a * 100 / b)
}

// hints lists the main keys on the bottom line.
func (m *Model) hints() string {
	km := m.KeyMap
	var parts []string
	for _, b := range []keyHelp{km.Tree.Help(), km.Alerts.Help(), km.Timeline.Help(), km.Filter.Help(), km.Back.Help(), km.Help.Help(), km.Quit.Help()} {
		parts = append(parts, m.Styles.Key.Render(b.Key)+" "+m.Styles.Dim.Render(b.Desc))
	}
	return ansi.Truncate(strings.Join(parts, "  "), m.Width, "…")
}

type keyHelp = struct{ Key, Desc string }

// helpView is the overlay listing every binding by view, in as many columns as fit.
func (m *Model) helpView() string {
	var blocks []string
	total := 0
	for _, g := range m.KeyMap.Groups() {
		lines := []string{m.Styles.Title.Render(g.Title)}
		for _, b := range g.Bindings {
			h := b.Help()
			lines = append(lines, m.Styles.Key.Render(common.Pad(h.Key, 10))+" "+h.Desc)
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
		total += len(lines) + 1
	}
	ncols := 2
	if m.Width >= 120 {
		ncols = 3
	}
	var cols []string
	var col []string
	height := 0
	for _, b := range blocks {
		n := strings.Count(b, "\n") + 2
		if height > 0 && height+n > (total+ncols-1)/ncols+1 {
			cols = append(cols, strings.Join(col, "\n\n"))
			col, height = nil, 0
		}
		col = append(col, b)
		height += n
	}
	cols = append(cols, strings.Join(col, "\n\n"))
	for i := range cols[:len(cols)-1] {
		cols[i] = lipgloss.NewStyle().PaddingRight(4).Render(cols[i])
	}
	box := m.Styles.Help.Render(lipgloss.JoinHorizontal(lipgloss.Top, cols...) + "\n\n" + m.Styles.Dim.Render("any key closes this help"))
	return lipgloss.Place(m.Width, m.bodyHeight(), lipgloss.Center, lipgloss.Center, box)
}
