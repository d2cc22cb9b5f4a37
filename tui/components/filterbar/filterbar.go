// Package filterbar is the filter input: it compiles the condition as the user
// types and shows the first error with a caret under its column.
package filterbar

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/tui/common"
)

const prompt = "filter> "

// AppliedMsg says the user applied a filter; Filter is nil when they cleared it.
type AppliedMsg struct {
	Src    string
	Filter *query.Filter
}

// Model is the filter bar.
type Model struct {
	common.Common
	value   []rune
	pos     int
	focused bool
	applied string
	filter  *query.Filter
	err     error
}

// New returns an empty, unfocused filter bar.
func New(c common.Common) Model { return Model{Common: c} }

// Focused reports whether the bar takes the keys.
func (m Model) Focused() bool { return m.focused }

// Applied returns the filter in force ("" for none).
func (m Model) Applied() string { return m.applied }

// Err returns the current text's error, nil when it compiles.
func (m Model) Err() error { return m.err }

// Focus gives the bar the keys, starting from the filter in force.
func (m *Model) Focus() {
	m.focused = true
	m.setValue(m.applied)
}

func (m *Model) setValue(s string) {
	m.value = []rune(s)
	m.pos = len(m.value)
	m.validate()
}

// Height is how many lines View takes.
func (m Model) Height() int {
	switch {
	case m.focused:
		return 2
	case m.applied != "":
		return 1
	}
	return 0
}

// Update edits the text; Enter applies it when it compiles, Esc gives up.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.focused {
		return m, nil
	}
	switch k.String() {
	case "enter":
		return m.apply()
	case "esc":
		m.focused = false
		return m, nil
	}
	m.edit(k)
	m.validate()
	return m, nil
}

// edit applies one editing key.
func (m *Model) edit(k tea.KeyPressMsg) {
	switch k.String() {
	case "backspace":
		if m.pos > 0 {
			m.value = append(m.value[:m.pos-1], m.value[m.pos:]...)
			m.pos--
		}
	case "delete", "ctrl+d":
		if m.pos < len(m.value) {
			m.value = append(m.value[:m.pos], m.value[m.pos+1:]...)
		}
	case "left", "ctrl+b":
		m.pos = max(0, m.pos-1)
	case "right", "ctrl+f":
		m.pos = min(len(m.value), m.pos+1)
	case "home", "ctrl+a":
		m.pos = 0
	case "end", "ctrl+e":
		m.pos = len(m.value)
	case "ctrl+u":
		m.value, m.pos = m.value[m.pos:], 0
	default:
		if k.Text != "" {
			r := []rune(k.Text)
			m.value = append(m.value[:m.pos], append(r, m.value[m.pos:]...)...)
			m.pos += len(r)
		}
	}
}

func (m *Model) validate() {
	src := strings.TrimSpace(string(m.value))
	m.filter, m.err = nil, nil
	if src != "" {
		m.filter, m.err = query.Compile(src, query.Options{})
	}
}

func (m Model) apply() (Model, tea.Cmd) {
	if m.err != nil {
		return m, nil
	}
	m.focused = false
	m.applied = strings.TrimSpace(string(m.value))
	msg := AppliedMsg{Src: m.applied, Filter: m.filter}
	return m, func() tea.Msg { return msg }
}

// View draws the input and, while typing, the state of the condition.
func (m Model) View() string {
	s := m.Styles
	if !m.focused {
		if m.applied == "" {
			return ""
		}
		return s.Dim.Render("filter: ") + m.applied
	}
	before, at, after := string(m.value[:m.pos]), " ", ""
	if m.pos < len(m.value) {
		at, after = string(m.value[m.pos]), string(m.value[m.pos+1:])
	}
	line := s.Key.Render(prompt) + before + s.Selected.Render(at) + after
	return line + "\n" + m.status()
}

// status is the line under the input: the error with a caret, or how to apply.
func (m Model) status() string {
	s := m.Styles
	var qe *query.Error
	switch {
	case errors.As(m.err, &qe) && qe.Macro == "":
		col := len([]rune(prompt)) + max(0, qe.Pos.Column-1)
		return strings.Repeat(" ", col) + s.Error.Render("^ "+qe.Error())
	case m.err != nil:
		return s.Error.Render(m.err.Error())
	case len(m.value) == 0:
		return s.Dim.Render("enter: show every event · esc: cancel")
	}
	return s.Dim.Render("ok · enter: apply · esc: cancel")
}
