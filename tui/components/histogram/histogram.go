// Package histogram draws the activity of a trace over time as bars, one column per
// time slice, and lets the user select a time range with the keys or the mouse.
package histogram

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/data"
)

// RangeMsg says the user selected [From, To); both zero clear the selection.
type RangeMsg struct{ From, To int64 }

var levels = []rune(" ▁▂▃▄▅▆▇█")

// Model is the histogram.
type Model struct {
	common.Common
	Top    int // screen row of the first bar line, for the mouse
	hist   data.Hist
	cursor int // column
	mark   int // column where a selection started, -1 when none
	from   int64
	to     int64
}

// New returns a histogram of h.
func New(c common.Common, h data.Hist) Model { return Model{Common: c, hist: h, mark: -1} }

// SetHist replaces the counts.
func (m *Model) SetHist(h data.Hist) { m.hist = h }

// SetRange shows [from, to) as selected.
func (m *Model) SetRange(from, to int64) { m.from, m.to = from, to }

func (m Model) columns() int { return max(1, m.Width) }

// colTime returns the instant column c starts at.
func (m Model) colTime(c int) int64 {
	return m.hist.Time(c * data.Buckets / m.columns())
}

// counts resamples the buckets into one count per column.
func (m Model) counts() []uint64 {
	n := m.columns()
	out := make([]uint64, n)
	if len(m.hist.Counts) == 0 {
		return out
	}
	for i, c := range m.hist.Counts {
		out[i*n/len(m.hist.Counts)] += c
	}
	return out
}

// Update moves the cursor and selects a range.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case msg.String() == "left":
			m.cursor = max(0, m.cursor-1)
		case msg.String() == "right":
			m.cursor = min(m.columns()-1, m.cursor+1)
		case key.Matches(msg, m.KeyMap.Top):
			m.cursor = 0
		case key.Matches(msg, m.KeyMap.Bottom):
			m.cursor = m.columns() - 1
		case key.Matches(msg, m.KeyMap.Mark):
			return m.markAt(m.cursor)
		case key.Matches(msg, m.KeyMap.ClearRange):
			m.mark = -1
			return m, rangeCmd(0, 0)
		}
	case tea.MouseClickMsg:
		if msg.Y >= m.Top && msg.Y < m.Top+m.barHeight() {
			m.cursor = max(0, min(msg.X, m.columns()-1))
			return m.markAt(m.cursor)
		}
	}
	return m, nil
}

// markAt starts a selection at column c, or ends the one started.
func (m Model) markAt(c int) (Model, tea.Cmd) {
	if m.mark < 0 {
		m.mark = c
		return m, nil
	}
	lo, hi := min(m.mark, c), max(m.mark, c)
	m.mark = -1
	return m, rangeCmd(m.colTime(lo), m.colTime(hi+1))
}

func rangeCmd(from, to int64) tea.Cmd {
	return func() tea.Msg { return RangeMsg{From: from, To: to} }
}

func (m Model) barHeight() int { return max(1, m.Height-3) }

// View draws the bars, the time axis and the cursor's slice.
func (m Model) View() string {
	counts := m.counts()
	var peak uint64
	for _, c := range counts {
		peak = max(peak, c)
	}
	h := m.barHeight()
	var b strings.Builder
	for row := h - 1; row >= 0; row-- {
		for col, c := range counts {
			b.WriteString(m.cell(col, c, peak, row, h))
		}
		b.WriteByte('\n')
	}
	b.WriteString(m.axis() + "\n")
	b.WriteString(m.status(counts))
	return b.String()
}

// cell draws one column's share of one row.
func (m Model) cell(col int, c, peak uint64, row, h int) string {
	eighths := 0
	if peak > 0 {
		eighths = int(c * uint64(h*8) / peak)
		if c > 0 && eighths == 0 {
			eighths = 1
		}
	}
	r := levels[max(0, min(8, eighths-row*8))]
	st := m.Styles.Bar
	if m.inRange(col) {
		st = m.Styles.BarRange
	}
	if col == m.cursor {
		st = m.Styles.Selected
	}
	return st.Render(string(r))
}

func (m Model) inRange(col int) bool {
	if m.mark >= 0 {
		return col >= min(m.mark, m.cursor) && col <= max(m.mark, m.cursor)
	}
	t := m.colTime(col)
	return m.to != 0 && t >= m.from && t < m.to
}

func (m Model) axis() string {
	first, last := clock(m.hist.From), clock(m.hist.To)
	gap := m.columns() - len(first) - len(last)
	return m.Styles.Dim.Render(first + strings.Repeat(" ", max(1, gap)) + last)
}

func (m Model) status(counts []uint64) string {
	at := m.colTime(m.cursor)
	s := fmt.Sprintf("%s  %d events", clock(at), counts[m.cursor])
	switch {
	case m.mark >= 0:
		s += "  · selecting from " + clock(m.colTime(min(m.mark, m.cursor)))
	case m.to != 0:
		s += "  · range " + clock(m.from) + " – " + clock(m.to)
	}
	return s
}

// clock formats an instant as UTC time of day with milliseconds.
func clock(ns int64) string {
	return time.Unix(0, ns).UTC().Format("15:04:05.000")
}
