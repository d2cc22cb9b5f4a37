package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/filterbar"
	"github.com/syscam/syscam/tui/components/histogram"
	"github.com/syscam/syscam/tui/styles"
)

// Update routes a message: keys to the filter bar, the help overlay, the global
// bindings or the page shown; job reports to the page that started the job.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.Width, m.Height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.ColorProfileMsg:
		*m.Styles = *styles.DefaultStyles(msg.Profile)
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.MouseMsg:
		return m, m.updatePage(msg)
	case loadMsg:
		return m, m.applyLoad(msg)
	case narrowMsg:
		return m, m.applyNarrow(msg)
	case filterbar.AppliedMsg:
		m.narrow.filter = msg.Filter
		m.layout()
		return m, m.renarrow()
	case histogram.RangeMsg:
		m.narrow.from, m.narrow.to = msg.From, msg.To
		m.timeline.SetRange(msg.From, msg.To)
		return m, m.renarrow()
	case common.OpenProcMsg, common.OpenEventMsg, common.FollowMsg:
		return m, m.navigate(msg)
	}
	return m, m.forward(msg)
}

// key handles a key press.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	km := m.KeyMap
	switch {
	case m.filter.Focused():
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(k)
		m.layout()
		return cmd
	case m.help:
		// Any key closes the overlay; ctrl+c still quits.
		m.help = false
		if k.String() == "ctrl+c" {
			m.Close()
			return tea.Quit
		}
		return nil
	case m.page == PageTree && m.tree.Capturing():
		return m.updatePage(k)
	}
	switch {
	case key.Matches(k, km.Quit):
		m.Close()
		return tea.Quit
	case key.Matches(k, km.Help):
		m.help = true
	case key.Matches(k, km.Filter):
		m.filter.Focus()
		m.layout()
	case key.Matches(k, km.Tree):
		m.show(PageTree)
	case key.Matches(k, km.Alerts):
		m.show(PageAlerts)
	case key.Matches(k, km.Timeline):
		m.show(PageTimeline)
	case key.Matches(k, km.Back):
		m.goBack()
	default:
		return m.updatePage(k)
	}
	return nil
}

// show makes p the page shown, remembering the current one for Back.
func (m *Model) show(p Page) {
	if p == m.page {
		return
	}
	m.back = append(m.back, m.page)
	m.page = p
}

func (m *Model) goBack() {
	if n := len(m.back); n > 0 {
		m.page, m.back = m.back[n-1], m.back[:n-1]
	}
}

// updatePage hands msg to the page shown.
func (m *Model) updatePage(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.page {
	case PageTree:
		m.tree, cmd = m.tree.Update(msg)
	case PageProcess:
		m.proc, cmd = m.proc.Update(msg)
	case PageEvent:
		m.event, cmd = m.event.Update(msg)
	case PageFollow:
		m.follow, cmd = m.follow.Update(msg)
	case PageAlerts:
		m.alerts, cmd = m.alerts.Update(msg)
	case PageTimeline:
		m.timeline, cmd = m.timeline.Update(msg)
	}
	return cmd
}

// forward hands a job report to every page; each takes only its own.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	var cmds [3]tea.Cmd
	m.proc, cmds[0] = m.proc.Update(msg)
	m.event, cmds[1] = m.event.Update(msg)
	m.follow, cmds[2] = m.follow.Update(msg)
	return tea.Batch(cmds[:]...)
}

// navigate opens the page a navigation message asks for.
func (m *Model) navigate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.OpenProcMsg:
		if msg.ID < 0 || msg.ID >= len(m.load.procs) {
			return nil
		}
		m.show(PageProcess)
		m.procOpen = true
		return m.proc.Open(m.load.procs, msg.ID, m.scanSpec())
	case common.OpenEventMsg:
		var cmd tea.Cmd
		if msg.Proc >= 0 && msg.Proc < len(m.load.procs) && (m.page != PageProcess || m.proc.Proc().ID != msg.Proc) {
			m.show(PageProcess)
			m.procOpen = true
			cmd = m.proc.Open(m.load.procs, msg.Proc, m.scanSpec())
		}
		if m.page == PageProcess {
			m.proc.SelectNum(msg.Num)
		}
		m.show(PageEvent)
		return tea.Batch(cmd, m.event.LoadCmd(msg.Num))
	case common.FollowMsg:
		m.show(PageFollow)
		return m.follow.LoadCmd(msg.Target, m.narrow.from, m.narrow.to)
	}
	return nil
}
