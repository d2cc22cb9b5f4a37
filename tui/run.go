package tui

import (
	"errors"
	"fmt"
	"io"
	"os"

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
	// Without a terminal bubbletea waits on a pipe for keys that never come, or fails
	// deep in its input reader: say what is needed instead.
	if !isTerminal(in) || !isTerminal(out) {
		return errors.New("needs a terminal on standard input and output; in a pipe or a script, use 'inspect events', 'timeline' or 'stats'")
	}
	m := New(t, WithRules(eng))
	defer m.Close()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("run terminal ui: %w", err)
	}
	return nil
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
