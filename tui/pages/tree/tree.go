package tree

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/list"
	"github.com/syscam/syscam/tui/data"
)

// Column headers: all columns from wideWidth up, fewer below.
const (
	wideHeader   = "     PID  PROCESS                  USER      START      DUR     EXIT   EVENTS  !   ARGS"
	narrowHeader = "     PID  PROCESS                START     EXIT   EVENTS  !   ARGS"
	wideWidth    = 110
)

// Model is the process tree page.
type Model struct {
	common.Common
	list      list.Model
	origin    int64
	procs     []data.Proc
	counts    map[int32]uint64 // matching events per pid under a filter or range; nil: none
	collapsed map[int]bool
	sort      Sort
	rows      []row
	search    searchState
}

// New returns an empty tree; origin is the trace's first instant.
func New(c common.Common, origin int64) Model {
	m := Model{Common: c, origin: origin, collapsed: map[int]bool{}}
	m.list = list.New(c, list.WithHeader(wideHeader))
	return m
}

// SetSize sizes the page.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.list.SetSize(w, h-1)
	m.list.SetHeader(wideHeader)
	if w < wideWidth {
		m.list.SetHeader(narrowHeader)
	}
	m.list.Top = 1
	m.list.SetCursor(m.list.Cursor())
}

// SetProcs replaces the processes, keeping the cursor on the same process.
func (m *Model) SetProcs(procs []data.Proc) {
	m.procs = procs
	m.rebuild()
}

// SetCounts restricts the tree to the pids with matching events; nil shows all.
func (m *Model) SetCounts(c map[int32]uint64) {
	m.counts = c
	m.rebuild()
}

// Selected returns the Proc.ID under the cursor, -1 when the tree is empty.
func (m Model) Selected() int {
	if len(m.rows) == 0 {
		return -1
	}
	return m.rows[m.list.Cursor()].id
}

// Capturing reports whether the page takes every key (the search input is open).
func (m Model) Capturing() bool { return m.search.typing }

func (m *Model) count(p *data.Proc) uint64 {
	if m.counts != nil {
		return m.counts[p.PID]
	}
	return p.Events
}

func (m *Model) rebuild() {
	sel := m.Selected()
	keepAll := func(int) bool { return true }
	keep := keepAll
	if m.counts != nil {
		k := keepWithAncestors(m.procs, func(p *data.Proc) bool { return m.counts[p.PID] > 0 })
		keep = func(i int) bool { return k[i] }
	}
	m.rows = build(m.procs, keep, m.sort, m.count).flatten(m.collapsed)
	m.list.SetLen(len(m.rows))
	m.selectID(sel)
}

func (m *Model) selectID(id int) {
	for i, r := range m.rows {
		if r.id == id {
			m.list.SetCursor(i)
			return
		}
	}
}

// Update handles the tree's keys.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.search.typing {
		return m.updateSearch(msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		m.list, cmd = m.list.Update(msg)
		return m, cmd
	}
	km := m.KeyMap
	switch {
	case key.Matches(k, km.Open):
		if id := m.Selected(); id >= 0 {
			return m, func() tea.Msg { return common.OpenProcMsg{ID: id} }
		}
	case key.Matches(k, km.Toggle):
		m.toggle(k.String() == "left")
	case key.Matches(k, km.ExpandAll):
		m.collapsed = map[int]bool{}
		m.rebuild()
	case key.Matches(k, km.CollapseAll):
		m.collapseAll()
	case key.Matches(k, km.Sort):
		m.sort = (m.sort + 1) % numSorts
		m.rebuild()
	case key.Matches(k, km.Search):
		m.search = searchState{typing: true}
	case key.Matches(k, km.NextMatch):
		m.nextMatch(k.String() == "N")
	default:
		m.list, _ = m.list.Update(msg)
	}
	return m, nil
}

// toggle collapses (left) or expands (right) the selected process.
func (m *Model) toggle(collapse bool) {
	id := m.Selected()
	if id < 0 {
		return
	}
	if collapse && !m.rows[m.list.Cursor()].kids || collapse && m.collapsed[id] {
		// Nothing to fold here: go to the parent, as file trees do.
		if p := m.procs[id].Parent; p >= 0 {
			m.selectID(p)
		}
		return
	}
	m.collapsed[id] = collapse
	m.rebuild()
}

func (m *Model) collapseAll() {
	for i := range m.procs {
		m.collapsed[i] = true
	}
	m.rebuild()
}

func (m Model) renderRows(from, n, width int) []string {
	out := make([]string, 0, n)
	for _, r := range m.rows[from : from+n] {
		out = append(out, m.renderRow(r))
	}
	return out
}

func (m Model) renderRow(r row) string {
	p := &m.procs[r.id]
	wide := m.Width >= wideWidth
	name := common.Pad(r.prefix+p.Name, 22)
	if wide {
		name = common.Pad(r.prefix+p.Name, 24)
	}
	if m.search.matches(p) {
		name = m.Styles.Match.Render(name)
	}
	dur, exit := "", "alive"
	if p.Exit != 0 {
		dur, exit = common.Dur(p.Exit-p.Start), strconv.Itoa(int(p.ExitStatus))
		if p.ExitSignal != 0 {
			exit = fmt.Sprintf("sig%d", p.ExitSignal)
		}
	}
	start := ""
	if p.Start >= m.origin {
		start = common.Rel(p.Start, m.origin)
	}
	badge := "   "
	if p.Alerts > 0 {
		badge = m.Styles.Badge.Render(common.Pad("!"+strconv.Itoa(p.Alerts), 3))
	}
	args := common.OneLine([]byte(strings.Join(p.Argv, " ")))
	if !wide {
		return fmt.Sprintf("%8d  %s %-9s %-5s %8d  %s %s", p.PID, name, start, exit, m.count(p), badge, args)
	}
	return fmt.Sprintf("%8d  %s %s %-10s %-7s %-5s %8d  %s %s", p.PID, name, common.Pad(p.User, 9),
		start, dur, exit, m.count(p), badge, args)
}

// View draws the tree and, while searching, the search line.
func (m Model) View() string {
	m.list.SetRows(m.renderRows)
	v := m.list.View()
	return v + "\n" + m.footer()
}

func (m Model) footer() string {
	if m.search.typing || m.search.text != "" {
		return m.Styles.Key.Render("/") + m.search.text + m.searchHint()
	}
	return m.Styles.Dim.Render(fmt.Sprintf("%d of %d processes shown · sort: %s (s) · /: search · ←/→: fold · E/C: all", len(m.rows), len(m.procs), m.sort))
}
