package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/syscam/syscam/state"
)

const psHelp = `
inspect ps lists the processes alive at one instant of a capture (its end when --at
is not given), as ps -ef would have shown them then.

Usage:
  inspect ps [flags] FILE...

` + timeArgHelp + `
Examples:
  inspect ps --at 06:14:03 trace.syscam
  inspect ps --at +10m --json /evidence/host1/
`

func runPs(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ps", psHelp, stdout)
	at := fs.String("at", "", "list the processes alive at TIME (default: the end of the capture)")
	asJSON := fs.Bool("json", false, "print one JSON object per process")
	width := fs.Int("width", 80, "shorten the command line to this many characters (0: never)")
	files, err := parseInterspersed(fs, args) // flags may follow the files
	if err != nil {
		return err
	}
	if err := checkWidth(*width); err != nil {
		return fmt.Errorf("ps: %w", err)
	}
	t, instant, err := openTraceAt(files, *at, stderr)
	if err != nil {
		return fmt.Errorf("ps: %w", err)
	}
	defer t.set.Close()
	e, err := t.replay(instant, state.Config{})
	if err != nil {
		return fmt.Errorf("ps: %w", err)
	}
	end := instant
	if end == 0 {
		end = max(t.last, e.Now())
	}
	var rows []*procNode
	for p := range e.Processes() {
		if p.Alive() {
			rows = append(rows, newNode(e, p, end))
		}
	}
	slices.SortFunc(rows, func(a, b *procNode) int { return cmp.Compare(a.PID, b.PID) })
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "PID\tPPID\tUSER\tSTART\tELAPSED\tCOMM\tCONTAINER\tCOMMAND")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.PID, r.PPID, r.User,
			fmtClock(r.start), fmtDuration(r.DurationNS), r.Comm, orDash(r.Container), shorten(r.Argv, *width))
	}
	return tw.Flush()
}
