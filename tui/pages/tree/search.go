package tree

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/data"
)

// searchState is the tree's incremental search.
type searchState struct {
	typing bool
	text   string
}

// matches reports whether p's pid, name or command line holds the search text.
func (s searchState) matches(p *data.Proc) bool {
	if s.text == "" {
		return false
	}
	if strconv.Itoa(int(p.PID)) == s.text || strings.Contains(p.Name, s.text) {
		return true
	}
	return strings.Contains(strings.Join(p.Argv, " "), s.text)
}

func (m Model) updateSearch(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch k.String() {
	case "enter":
		m.search.typing = false
	case "esc":
		m.search = searchState{}
	case "backspace":
		if r := []rune(m.search.text); len(r) > 0 {
			m.search.text = string(r[:len(r)-1])
		}
	default:
		if k.Text == "" {
			return m, nil
		}
		m.search.text += k.Text
		if id := m.Selected(); id < 0 || !m.search.matches(&m.procs[id]) {
			m.nextMatch(false)
		}
	}
	return m, nil
}

// nextMatch moves to the next (or previous) visible row that matches.
func (m *Model) nextMatch(back bool) {
	n := len(m.rows)
	step := 1
	if back {
		step = n - 1
	}
	for i, c := 1, m.list.Cursor(); i <= n; i++ {
		j := (c + i*step) % n
		if m.search.matches(&m.procs[m.rows[j].id]) {
			m.list.SetCursor(j)
			return
		}
	}
}

func (m Model) searchHint() string {
	n := 0
	for _, r := range m.rows {
		if m.search.matches(&m.procs[r.id]) {
			n++
		}
	}
	return m.Styles.Dim.Render(fmt.Sprintf("   %d matches · n/N: next/previous · esc: clear", n))
}
