// Package list is a virtualised list: it knows only how many rows there are and asks
// its owner to render the few rows on screen, so a list of millions of rows costs
// what one screen costs.
package list

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/syscam/syscam/tui/common"
)

// RowsFunc renders n rows from row from, each at most width cells wide. It may
// return fewer rows (data not loaded yet).
type RowsFunc func(from, n, width int) []string

// Model is the list.
type Model struct {
	common.Common
	// Top is the screen row of the list's first line, for mouse clicks.
	Top    int
	header string
	rows   RowsFunc
	n      int
	cursor int
	offset int
}

// Option configures a list.
type Option func(*Model)

// WithRows sets the row renderer.
func WithRows(f RowsFunc) Option { return func(m *Model) { m.rows = f } }

// WithHeader sets a header line drawn above the rows.
func WithHeader(h string) Option { return func(m *Model) { m.header = h } }

// New returns an empty list.
func New(c common.Common, opts ...Option) Model {
	m := Model{Common: c}
	for _, o := range opts {
		o(&m)
	}
	return m
}

// SetRows replaces the row renderer.
func (m *Model) SetRows(f RowsFunc) { m.rows = f }

// SetHeader replaces the header line.
func (m *Model) SetHeader(h string) { m.header = h }

// Len returns the number of rows.
func (m Model) Len() int { return m.n }

// SetLen sets the number of rows, keeping the cursor on its row when it still exists.
func (m *Model) SetLen(n int) {
	m.n = n
	m.SetCursor(m.cursor)
}

// Cursor returns the selected row (0 when empty).
func (m Model) Cursor() int { return m.cursor }

// SetCursor selects row i and scrolls it into view.
func (m *Model) SetCursor(i int) {
	m.cursor = max(0, min(i, m.n-1))
	h := m.bodyHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if h > 0 && m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, m.n-h))
}

func (m Model) bodyHeight() int {
	if m.header != "" {
		return m.Height - 1
	}
	return m.Height
}

// Update moves the cursor on keys and the mouse.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, h := m.KeyMap, m.bodyHeight()
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			m.SetCursor(m.cursor - 1)
		case key.Matches(msg, k.Down):
			m.SetCursor(m.cursor + 1)
		case key.Matches(msg, k.PageUp):
			m.SetCursor(m.cursor - h)
		case key.Matches(msg, k.PageDown):
			m.SetCursor(m.cursor + h)
		case key.Matches(msg, k.Top):
			m.SetCursor(0)
		case key.Matches(msg, k.Bottom):
			m.SetCursor(m.n - 1)
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.SetCursor(m.cursor - 3)
		case tea.MouseWheelDown:
			m.SetCursor(m.cursor + 3)
		}
	case tea.MouseClickMsg:
		row := msg.Y - m.Top
		if m.header != "" {
			row--
		}
		if row >= 0 && row < h && msg.Button == tea.MouseLeft {
			m.SetCursor(m.offset + row)
		}
	}
	return m, nil
}

// View renders the visible rows, the selected one highlighted, padded to the height.
func (m Model) View() string {
	var b strings.Builder
	if m.header != "" {
		b.WriteString(m.Styles.Header.Render(ansi.Truncate(" "+m.header, m.Width, "…")))
		b.WriteByte('\n')
	}
	h := m.bodyHeight()
	var rows []string
	if m.rows != nil && m.n > 0 {
		rows = m.rows(m.offset, min(h, m.n-m.offset), m.Width)
	}
	for i := 0; i < h; i++ {
		line := ""
		if i < len(rows) {
			// A gutter marks the cursor where colours do not show (NO_COLOR, a pipe).
			gutter := " "
			if m.offset+i == m.cursor {
				gutter = "›"
			}
			line = ansi.Truncate(gutter+rows[i], m.Width, "…")
		}
		if m.offset+i == m.cursor && i < len(rows) {
			line = m.Styles.Selected.Render(line + strings.Repeat(" ", max(0, m.Width-lipgloss.Width(line))))
		}
		b.WriteString(line)
		if i < h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
