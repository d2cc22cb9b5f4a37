package process

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/list"
	"github.com/syscam/syscam/tui/data"
)

// Tabs of the page.
const (
	TabEvents = iota
	TabFiles
	TabConns
	TabChildren
	TabEnv
	numTabs
)

var tabNames = [...]string{"Events", "Files", "Connections", "Children", "Environment"}

const eventsHeader = "      NUM         TIME     TID   TYPE             RET ARGS"

// Model is the process page.
type Model struct {
	common.Common
	trace  *data.Trace
	procs  []data.Proc
	proc   data.Proc
	tab    int
	ev     events
	events list.Model
	other  list.Model // the other tabs, rebuilt from lines
	lines  []string
	ids    []int // the children tab: Proc.ID per line
	// pending is an event to select when the scan lists it (0: none).
	pending uint64
}

// New returns the page for trace t.
func New(c common.Common, t *data.Trace) Model {
	m := Model{Common: c, trace: t}
	m.events = list.New(c, list.WithHeader(eventsHeader))
	m.other = list.New(c)
	return m
}

const headLines = 4 // process summary lines and the tab bar

// SetSize sizes the page.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	for _, l := range []*list.Model{&m.events, &m.other} {
		l.SetSize(w, max(1, h-headLines))
		l.Top = headLines + 1
		l.SetCursor(l.Cursor())
	}
}

// Proc returns the process shown.
func (m Model) Proc() data.Proc { return m.proc }

// Open shows process id of procs, from its events tab, and starts its scan.
func (m *Model) Open(procs []data.Proc, id int, spec data.ScanSpec) tea.Cmd {
	m.procs, m.proc, m.tab = procs, procs[id], TabEvents
	m.events.SetCursor(0)
	return m.ScanCmd(spec)
}

// SetProcs refreshes the process (a load went on).
func (m *Model) SetProcs(procs []data.Proc) {
	m.procs = procs
	if m.proc.ID < len(procs) {
		m.proc = procs[m.proc.ID]
	}
	m.fillTab()
}

// SelectNum puts the events cursor on the event at position num once the scan
// lists it.
func (m *Model) SelectNum(num uint64) {
	for i, n := range m.ev.nums {
		if n == num {
			m.events.SetCursor(i)
			return
		}
	}
	m.pending = num
}

// Update handles the page's keys and its scan's reports.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ScanMsg:
		return m, m.addScan(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseMsg:
		return m.forward(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.KeyMap.NextTab):
		m.tab = (m.tab + 1) % numTabs
		m.fillTab()
		m.other.SetCursor(0)
	case key.Matches(k, m.KeyMap.PrevTab):
		m.tab = (m.tab + numTabs - 1) % numTabs
		m.fillTab()
		m.other.SetCursor(0)
	case key.Matches(k, m.KeyMap.Open):
		return m, m.open()
	default:
		return m.forward(k)
	}
	return m, nil
}

func (m Model) forward(msg tea.Msg) (Model, tea.Cmd) {
	if m.tab == TabEvents {
		m.events, _ = m.events.Update(msg)
	} else {
		m.other, _ = m.other.Update(msg)
	}
	return m, nil
}

// open opens what is under the cursor: an event, or a child process.
func (m Model) open() tea.Cmd {
	switch {
	case m.tab == TabEvents && len(m.ev.nums) > 0:
		msg := common.OpenEventMsg{Num: m.ev.nums[m.events.Cursor()], Proc: m.proc.ID}
		return func() tea.Msg { return msg }
	case m.tab == TabChildren && len(m.ids) > 0:
		msg := common.OpenProcMsg{ID: m.ids[m.other.Cursor()]}
		return func() tea.Msg { return msg }
	}
	return nil
}

// View draws the summary, the tab bar and the tab.
func (m Model) View() string {
	var b strings.Builder
	b.WriteString(m.summary())
	b.WriteString(m.tabBar() + "\n")
	if m.tab == TabEvents {
		// Rows come from this value of the page, the one holding the current positions.
		m.events.SetRows(m.eventRows)
		b.WriteString(m.events.View())
	} else {
		b.WriteString(m.other.View())
	}
	return b.String()
}

func (m Model) summary() string {
	p, s := m.proc, m.Styles
	exit := "alive at the end of the trace"
	if p.Exit != 0 {
		exit = fmt.Sprintf("exited %s after %s, status %d", common.Rel(p.Exit, m.trace.First), common.Dur(p.Exit-p.Start), p.ExitStatus)
		if p.ExitSignal != 0 {
			exit += fmt.Sprintf(", signal %d", p.ExitSignal)
		}
	}
	line1 := s.Title.Render(fmt.Sprintf("%s [%d]", p.Name, p.PID)) + fmt.Sprintf("  ppid %d  user %s  started %s  %s", p.PPID, p.User, common.Rel(p.Start, m.trace.First), exit)
	line2 := s.Dim.Render("exe  ") + p.Exe + s.Dim.Render("   cwd  ") + p.Cwd
	line3 := s.Dim.Render("argv ") + common.OneLine([]byte(strings.Join(p.Argv, " ")))
	return line1 + "\n" + line2 + "\n" + line3 + "\n"
}

func (m Model) tabBar() string {
	var parts []string
	for i, n := range tabNames {
		label := n + m.tabCount(i)
		if i == m.tab {
			parts = append(parts, m.Styles.ActiveTab.Render(label))
		} else {
			parts = append(parts, m.Styles.Tab.Render(label))
		}
	}
	return strings.Join(parts, "")
}

func (m Model) tabCount(tab int) string {
	switch tab {
	case TabEvents:
		if !m.ev.done {
			return fmt.Sprintf(" (%d…)", len(m.ev.nums))
		}
		return fmt.Sprintf(" (%d)", len(m.ev.nums))
	case TabFiles:
		return fmt.Sprintf(" (%d)", len(m.proc.Files))
	case TabConns:
		return fmt.Sprintf(" (%d)", len(m.proc.Conns))
	}
	return ""
}

// Rows returns how many events the events tab lists.
func (m Model) Rows() int { return len(m.ev.nums) }

// SetCursor puts the events cursor on row i.
func (m *Model) SetCursor(i int) { m.events.SetCursor(i) }
