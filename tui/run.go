package tui

import (
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/rules"
	"github.com/syscam/syscam/tui/data"
)

// Run opens the traces at paths and runs the UI on the terminal behind in and out
// until the user quits. eng, when not nil, supplies the alerts.
func Run(paths []string, eng *rules.Engine, in io.Reader, out io.Writer) error {
	t, err := data.Open(paths...)
	if err != nil {
		return err
	}
	defer t.Close()
	m := New(t, WithRules(eng))
	defer m.Close()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("run terminal ui: %w", err)
	}
	return nil
}
