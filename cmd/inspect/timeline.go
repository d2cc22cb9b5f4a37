package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/syscam/syscam/report"
)

const timelineHelp = `
Usage: inspect timeline [flags] FILE...

Prints a forensic timeline: one line per security-relevant action, in time order.
Processes started, executed (with argv, user and parent) and exited; files created,
written, renamed, linked, deleted, their mode or owner changed; connections, accepts,
listens and the traffic of each connection; logins (login uid set) and privilege
changes (setuid and friends, capset); ptrace attaches; kernel module and BPF program
loads; mounts; and the places where the recorder dropped events.

Repeated I/O is folded: all writes of a process to one fd (or all traffic of one
connection) are one line with the number of calls and bytes, dated at the first. CSV
and JSON lines use Timesketch's import columns (message, datetime, timestamp_desc,
timestamp in microseconds) plus one column per field, so the file imports as is.

Examples:
  inspect timeline trace.syscam
  inspect timeline --format csv /evidence/web1/ /evidence/db1/ > timeline.csv
  inspect timeline -f 'user.name = root' --from 06:14:00 trace.syscam

` + reportHelp + timeArgHelp

func runTimeline(args []string, stdout, stderr io.Writer) error {
	var o reportFlags
	fs := newFlagSet("timeline", timelineHelp, stdout)
	o.register(fs)
	format := fs.String("format", "text", "output `FORMAT`: "+strings.Join(report.TimelineFormats, ", "))
	files, err := parseReportArgs(fs, "timeline", args)
	if err != nil {
		return err
	}
	in, err := o.open(files)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	defer report.Close(in.hosts)
	out, err := report.NewTimelineOutput(stdout, *format)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	// Lines are formatted and written on another goroutine, beside the replay.
	if err := out.Close(in.run("timeline", stderr, out.Add)); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}
