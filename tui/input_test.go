package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-cmp/cmp"
)

// TestResizeRelaysOut checks that after a resize the screen is what a model started
// at the new size shows.
func TestResizeRelaysOut(t *testing.T) {
	m := newLoaded(t, 80, 24)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	want := screen(newLoaded(t, 160, 48))
	if diff := cmp.Diff(want, screen(m)); diff != "" {
		t.Errorf("screen after a resize differs (-want +got):\n%s", diff)
	}
}

// TestMouse checks that the wheel moves the tree's cursor and a click selects the
// row under the pointer.
func TestMouse(t *testing.T) {
	tests := []struct {
		name string
		msgs []tea.Msg
		pid  int32 // of the process selected afterwards
	}{
		{"the wheel moves down three rows", []tea.Msg{tea.MouseWheelMsg{Button: tea.MouseWheelDown}}, 300},
		{"the wheel moves back up", []tea.Msg{tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelUp}}, 1},
		// Row 0 is the title bar, row 1 the column headers: row 4 is the third process.
		{"a click selects the row under the pointer", []tea.Msg{tea.MouseClickMsg{X: 10, Y: 4, Button: tea.MouseLeft}}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newLoaded(t, 80, 24)
			for _, msg := range tt.msgs {
				_, cmd := m.Update(msg)
				run(t, m, cmd)
			}
			id := m.tree.Selected()
			if got := m.load.procs[id].PID; got != tt.pid {
				t.Errorf("selected pid %d, want %d", got, tt.pid)
			}
		})
	}
}
