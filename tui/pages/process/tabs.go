package process

import (
	"fmt"
	"strings"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/data"
)

// fillTab builds the lines of the tab shown, when it is not the events tab.
func (m *Model) fillTab() {
	m.lines, m.ids = nil, nil
	header := ""
	switch m.tab {
	case TabFiles:
		header, m.lines = "  FD  TYPE       OPENED       NAME", m.fdLines(m.proc.Files)
	case TabConns:
		header, m.lines = "  FD  TYPE       OPENED       CONNECTION", m.fdLines(m.proc.Conns)
	case TabChildren:
		header = "     PID  NAME             EVENTS  ARGS"
		m.childLines()
	case TabEnv:
		header = "ENVIRONMENT"
		for _, v := range m.proc.Env {
			m.lines = append(m.lines, common.OneLine([]byte(v)))
		}
		if len(m.lines) == 0 {
			m.lines = []string{m.Styles.Dim.Render("not recorded (record with --env to keep it)")}
		}
	}
	lines := m.lines
	m.other.SetHeader(header)
	m.other.SetRows(func(from, n, _ int) []string { return lines[from : from+n] })
	m.other.SetLen(len(lines))
}

func (m *Model) fdLines(fds []data.FDInfo) []string {
	out := make([]string, 0, len(fds))
	for _, f := range fds {
		opened := "snapshot"
		if f.Opened != 0 {
			opened = common.Rel(f.Opened, m.trace.First)
		}
		out = append(out, fmt.Sprintf("%4d  %-10s %-12s %s", f.FD, f.Type, opened, common.OneLine([]byte(f.Name))))
	}
	return out
}

func (m *Model) childLines() {
	for i := range m.procs {
		c := &m.procs[i]
		if c.Parent != m.proc.ID {
			continue
		}
		m.ids = append(m.ids, c.ID)
		m.lines = append(m.lines, fmt.Sprintf("%8d  %-16s %6d  %s", c.PID, c.Name, c.Events, common.OneLine([]byte(strings.Join(c.Argv, " ")))))
	}
}
