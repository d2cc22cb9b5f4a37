package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/rules"
	"github.com/syscam/syscam/tui/common"
	"github.com/syscam/syscam/tui/components/filterbar"
	"github.com/syscam/syscam/tui/data"
	"github.com/syscam/syscam/tui/keymap"
	"github.com/syscam/syscam/tui/pages/alerts"
	"github.com/syscam/syscam/tui/pages/eventview"
	"github.com/syscam/syscam/tui/pages/follow"
	"github.com/syscam/syscam/tui/pages/process"
	"github.com/syscam/syscam/tui/pages/timeline"
	"github.com/syscam/syscam/tui/pages/tree"
	"github.com/syscam/syscam/tui/styles"
)

// Page names a page of the application.
type Page int

// Pages.
const (
	PageTree Page = iota
	PageProcess
	PageEvent
	PageFollow
	PageAlerts
	PageTimeline
)

// Model is the application: the pages, the filter bar, the help overlay, and the
// background jobs feeding them.
type Model struct {
	common.Common
	trace *data.Trace
	rules *rules.Engine

	page Page
	back []Page
	help bool
	// procOpen says a process has been opened, so its page follows loads and filters.
	procOpen bool

	tree     tree.Model
	proc     process.Model
	event    eventview.Model
	follow   follow.Model
	alerts   alerts.Model
	timeline timeline.Model
	filter   filterbar.Model

	ctx    context.Context
	cancel context.CancelFunc
	load   loadState
	narrow narrowState
}

// loadState is the progress of the background replay.
type loadState struct {
	ch    <-chan data.LoadMsg
	last  data.LoadMsg
	procs []data.Proc
	hist  data.Hist
}

// narrowState is the filter and time range in force and the scan that applies them.
type narrowState struct {
	filter    *query.Filter
	from, to  int64
	gen       int
	cancel    context.CancelFunc
	scan      data.ScanMsg // the latest report
	alertNums map[uint64]bool
	matched   map[uint64]bool // alerts whose event matched the filter
}

// Option configures New.
type Option func(*Model)

// WithRules runs eng's rules during the load; without it the alerts page is empty.
func WithRules(eng *rules.Engine) Option { return func(m *Model) { m.rules = eng } }

// WithSize sets the initial size (a terminal sends its own at start).
func WithSize(w, h int) Option { return func(m *Model) { m.Width, m.Height = w, h } }

// WithProfile sets the colour profile the styles are chosen for.
func WithProfile(p colorprofile.Profile) Option {
	return func(m *Model) { *m.Styles = *styles.DefaultStyles(p) }
}

// New returns the application over t. The first screen comes from the file index
// and the initial state; Init starts the replay that fills in the rest.
func New(t *data.Trace, opts ...Option) *Model {
	c := common.Common{Width: 80, Height: 24, Styles: styles.DefaultStyles(colorprofile.TrueColor), KeyMap: keymap.DefaultKeyMap()}
	m := &Model{Common: c, trace: t}
	for _, o := range opts {
		o(m)
	}
	c = m.Common
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.load.hist = data.IndexHist(t)
	m.tree = tree.New(c, t.First)
	m.proc = process.New(c, t)
	m.event = eventview.New(c, t)
	m.follow = follow.New(c, t)
	m.alerts = alerts.New(c, t.First)
	m.timeline = timeline.New(c, m.load.hist)
	m.timeline.SetHist(m.load.hist)
	m.filter = filterbar.New(c)
	m.layout()
	return m
}

// Init starts the load.
func (m *Model) Init() tea.Cmd {
	m.load.ch = data.Load(m.ctx, m.trace, m.rules)
	return m.waitLoad()
}

// Close stops the background jobs.
func (m *Model) Close() {
	m.cancel()
	if m.narrow.cancel != nil {
		m.narrow.cancel()
	}
}

// layout sizes the pages to the space between the title and the bottom lines.
func (m *Model) layout() {
	h := m.bodyHeight()
	w := m.Width
	m.tree.SetSize(w, h)
	m.proc.SetSize(w, h)
	m.event.SetSize(w, h)
	m.follow.SetSize(w, h)
	m.alerts.SetSize(w, h)
	m.timeline.SetSize(w, h, 1)
	m.filter.SetSize(w, 2)
}
