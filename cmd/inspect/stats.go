package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/syscam/syscam/report"
)

const statsHelp = `
Usage: inspect stats [flags] FILE...

Summarises a capture: the top processes (events, errors, time spent in syscalls where
the recorder measured latency, bytes read and written), the top files (opens, reads,
writes and their bytes), the top connections (bytes each way, start, duration), the
top syscalls, the top errors (errno by process and syscall), and the events each host
dropped (per CPU and cause, from the capture statistics and drop notices).

Examples:
  inspect stats trace.syscam
  inspect stats --top 20 -f 'proc.name != nginx' /evidence/web1/ /evidence/db1/
  inspect stats --json --from 06:14:00 --to +10m trace.syscam

` + reportHelp + timeArgHelp

func runStats(args []string, stdout, stderr io.Writer) error {
	var o reportFlags
	fs := newFlagSet("stats", statsHelp, stdout)
	o.register(fs)
	top := fs.Int("top", 10, "show the first `N` entries of each table (0: all)")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	files, err := parseReportArgs(fs, "stats", args)
	if err != nil {
		return err
	}
	if *top < 0 {
		return fmt.Errorf("stats: --top %d: want 0 or more", *top)
	}
	in, err := o.open(files)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	defer report.Close(in.hosts)
	s := report.NewStats(in.hosts)
	if err := in.run("stats", stderr, s.Add); err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return writeStats(s.Report(*top), *asJSON, stdout)
}

func writeStats(r *report.StatsReport, asJSON bool, stdout io.Writer) error {
	w := bufio.NewWriter(stdout)
	var err error
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = r.WriteText(w)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("stats: write report: %w", err)
	}
	return nil
}
