package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

const treeHelp = `
inspect tree shows the process forest of a capture: every process seen (with its
parent, user, start, duration, exit code and container), or the forest as it stood at
one instant with --at.

Usage:
  inspect tree [flags] FILE...

` + timeArgHelp + `
Examples:
  inspect tree trace.syscam
  inspect tree --pid 4242 trace.syscam           the subtree under pid 4242
  inspect tree --at +90s /evidence/host1/        the live processes 90 s in
  inspect tree --at 06:14:03 --json trace.syscam
`

func runTree(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tree", treeHelp, stdout)
	pid := fs.Int("pid", 0, "show only the subtree under this pid")
	at := fs.String("at", "", "show the forest as it stood at TIME (see above)")
	asJSON := fs.Bool("json", false, "print JSON (one object per root, children nested)")
	width := fs.Int("width", 80, "shorten the command line to this many characters (0: never)")
	files, err := parseInterspersed(fs, args) // flags may follow the files
	if err != nil {
		return err
	}
	if *pid < 0 {
		return fmt.Errorf("tree: --pid %d: want a process id > 0", *pid)
	}
	if err := checkWidth(*width); err != nil {
		return fmt.Errorf("tree: %w", err)
	}
	t, instant, err := openTraceAt(files, *at, stderr)
	if err != nil {
		return fmt.Errorf("tree: %w", err)
	}
	defer t.set.Close()
	roots, err := buildForest(t, instant)
	if err != nil {
		return fmt.Errorf("tree: %w", err)
	}
	if *pid != 0 {
		if roots = subtrees(roots, int32(*pid)); len(roots) == 0 {
			return fmt.Errorf("tree: no process with pid %d %s", *pid, when(instant))
		}
	}
	if *asJSON {
		return writeTreeJSON(stdout, roots)
	}
	return writeTreeText(stdout, roots, *width)
}

func when(at int64) string {
	if at == 0 {
		return "in the capture"
	}
	return "alive at " + fmtTime(at)
}

// procNode is one process of the forest, copied out of the engine so that the forest
// of a long capture does not keep the engine's fd tables alive.
type procNode struct {
	PID        int32       `json:"pid"`
	PPID       int32       `json:"ppid"`
	Comm       string      `json:"comm"`
	Exe        string      `json:"exe,omitempty"`
	Argv       []string    `json:"argv,omitempty"`
	User       string      `json:"user"`
	UID        uint32      `json:"uid"`
	Start      string      `json:"start,omitempty"` // omitted when the trace does not say
	DurationNS int64       `json:"duration_ns"`     // -1 when the start is unknown
	Running    bool        `json:"running"`
	ExitStatus *int32      `json:"exit_status,omitempty"`
	ExitSignal string      `json:"exit_signal,omitempty"`
	Container  string      `json:"container,omitempty"`
	Children   []*procNode `json:"children,omitempty"`

	start  int64
	key    procKey
	parent procKey
}

// procKey names one process (one incarnation of a pid).
type procKey struct {
	pid   int32
	start int64
}

func keyOf(p *state.Process) procKey { return procKey{p.PID, p.Start} }

// buildForest replays the trace to `at` (its end when 0) and returns the roots of the
// process forest: the processes alive at `at`, or every process of the capture.
func buildForest(t *trace, at int64) ([]*procNode, error) {
	nodes := map[procKey]*procNode{}
	var e *state.Engine
	cfg := state.Config{}
	if at == 0 {
		cfg.OnDrop = func(p *state.Process) { nodes[keyOf(p)] = newNode(e, p, t.last) }
	}
	e, err := t.replay(at, cfg)
	if err != nil {
		return nil, err
	}
	end := at
	if end == 0 {
		end = max(t.last, e.Now())
	}
	for p := range e.Processes() {
		if at != 0 && !p.Alive() {
			continue // exited before the instant, kept only for late events
		}
		nodes[keyOf(p)] = newNode(e, p, end)
	}
	return link(nodes), nil
}

func newNode(e *state.Engine, p *state.Process, end int64) *procNode {
	n := &procNode{PID: p.PID, PPID: p.PPID, Comm: p.Name(), Exe: p.ExePath, Argv: p.Argv,
		Start: fmtTime(p.Start), start: p.Start, key: keyOf(p), Running: p.Alive()}
	if n.Comm == "" {
		n.Comm = "?"
	}
	if p.Parent != nil {
		n.parent = keyOf(p.Parent)
	}
	n.UID, n.User = userOf(e, p)
	n.setLifetime(p, end)
	if c := e.ContainerOf(p); c != nil {
		n.Container = c.ShortID()
	}
	return n
}

// userOf names the effective user of a process's main thread, by number when the
// trace has no passwd entry for it.
func userOf(e *state.Engine, p *state.Process) (uint32, string) {
	if p.Leader == nil {
		return 0, "?"
	}
	uid := p.Leader.Creds.EUID
	if u := e.UserOf(p.Leader); u != nil {
		return uid, u.Name
	}
	return uid, strconv.FormatUint(uint64(uid), 10)
}

// setLifetime sets the duration (to end for a live process) and the exit.
func (n *procNode) setLifetime(p *state.Process, end int64) {
	switch {
	case p.Start == 0: // a snapshot without start times (some .scap captures)
		n.DurationNS, n.Start = -1, ""
	case p.Alive():
		n.DurationNS = end - p.Start
	default:
		n.DurationNS = p.Exit - p.Start
	}
	if p.Alive() {
		return
	}
	status := p.ExitStatus
	n.ExitStatus = &status
	if p.ExitSignal != 0 {
		n.ExitSignal = string(event.Signals.Append(nil, uint64(p.ExitSignal)))
	}
}

// link attaches each node to its parent and returns the roots, children and roots
// ordered by start time then pid.
func link(nodes map[procKey]*procNode) []*procNode {
	var roots []*procNode
	for _, n := range nodes {
		if parent := nodes[n.parent]; parent != nil && parent != n {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	byStart := func(a, b *procNode) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.PID, b.PID)) }
	for _, n := range nodes {
		slices.SortFunc(n.Children, byStart)
	}
	slices.SortFunc(roots, byStart)
	return roots
}

// subtrees returns the nodes with pid, wherever they are in the forest.
func subtrees(roots []*procNode, pid int32) []*procNode {
	var out []*procNode
	var walk func(ns []*procNode)
	walk = func(ns []*procNode) {
		for _, n := range ns {
			if n.PID == pid {
				out = append(out, n)
				continue
			}
			walk(n.Children)
		}
	}
	walk(roots)
	return out
}

func writeTreeJSON(w io.Writer, roots []*procNode) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range roots {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

func writeTreeText(w io.Writer, roots []*procNode, width int) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "PROCESS\tUSER\tSTART\tDURATION\tEXIT\tCONTAINER\tCOMMAND")
	var walk func(n *procNode, prefix, branch string)
	walk = func(n *procNode, prefix, branch string) {
		fmt.Fprintf(tw, "%s%s%d %s\t%s\t%s\t%s\t%s\t%s\t%s\n", prefix, branch, n.PID, n.Comm,
			n.User, fmtClock(n.start), fmtDuration(n.DurationNS), exitText(n),
			orDash(n.Container), shorten(n.Argv, width))
		child := prefix
		switch branch {
		case "├─ ":
			child += "│  "
		case "└─ ":
			child += "   "
		}
		for i, c := range n.Children {
			b := "├─ "
			if i == len(n.Children)-1 {
				b = "└─ "
			}
			walk(c, child, b)
		}
	}
	for _, r := range roots {
		walk(r, "", "")
	}
	return tw.Flush()
}

func exitText(n *procNode) string {
	switch {
	case n.ExitSignal != "":
		return n.ExitSignal
	case n.ExitStatus != nil:
		return strconv.Itoa(int(*n.ExitStatus))
	}
	return "running"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// checkWidth refuses a negative --width: the flag package takes any int, and
// shorten would read a negative width as "never", silently.
func checkWidth(width int) error {
	if width < 0 {
		return fmt.Errorf("--width %d: want 0 or more (0: never shorten)", width)
	}
	return nil
}

// shorten joins argv and cuts it to width characters with an ellipsis.
func shorten(argv []string, width int) string {
	s := strings.Join(argv, " ")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '.' // a command line must not move the cursor or break the table
		}
		return r
	}, s)
	if r := []rune(s); width > 0 && len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}
