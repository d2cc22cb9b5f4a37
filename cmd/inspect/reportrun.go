package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/syscam/syscam/internal/progress"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/report"
)

// reportHelp describes the flags every report command shares.
const reportHelp = `Every report takes FILE... from one host or several: files, directories of
*.syscam files, rotated sets, sysdig/Falco .scap captures. Files of one machine (same
machine id in their headers) replay as one; several machines merge into one
time-ordered stream, and the filter fields host.name and host.id (the machine id) tell
them apart. -f keeps the events a filter matches (Falco syntax; run 'inspect fields');
--from and --to bound the time. Events before --from
still replay into the state, so process and fd names stay right. A progress bar shows
on stderr for long passes when stderr is a terminal.

`

// reportFlags are the flags shared by stats, timeline, follow and export.
type reportFlags struct {
	filter, from, to string
}

func (o *reportFlags) register(fs *flag.FlagSet) {
	fs.Var(&onceString{p: &o.filter}, "f", "keep the events matching `CONDITION` (Falco syntax)")
	fs.StringVar(&o.from, "from", "", "first `TIME` to report")
	fs.StringVar(&o.to, "to", "", "`TIME` to stop before")
}

// reportInput is what a report command runs over.
type reportInput struct {
	hosts []*report.Host
	opt   report.Options
	total uint64
}

// open compiles the filter, opens the files by host and resolves the time bounds
// against the earliest event of all hosts. Close the hosts with report.Close.
func (o *reportFlags) open(files []string) (*reportInput, error) {
	var in reportInput
	if o.filter != "" {
		f, err := query.Compile(o.filter, query.Options{})
		if err != nil {
			return nil, queryError("filter", o.filter, err)
		}
		in.opt.Filter = f
	}
	hosts, err := report.Open(files...)
	if err != nil {
		return nil, err
	}
	in.hosts = hosts
	start := earliest(hosts)
	if in.opt.From, in.opt.To, err = timeRange(eventsOptions{from: o.from, to: o.to}, start); err != nil {
		report.Close(hosts)
		return nil, err
	}
	for _, h := range hosts {
		in.total += h.Count()
	}
	return &in, nil
}

func earliest(hosts []*report.Host) int64 {
	var start int64
	for _, h := range hosts {
		if t := h.Start(); start == 0 || t < start {
			start = t
		}
	}
	return start
}

// run replays the input into fn with a progress bar on stderr.
func (in *reportInput) run(name string, stderr io.Writer, fn func(*report.Record) error) error {
	warnRecoveredHosts(stderr, in.hosts)
	bar := progress.New(stderr, name, "events", in.total)
	opt := in.opt
	opt.Progress = bar.Set
	err := report.Run(in.hosts, opt, fn)
	bar.Done()
	return err
}

// parseReportArgs parses flags and files (in any order) and requires a file.
func parseReportArgs(fs *flag.FlagSet, name string, args []string) ([]string, error) {
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		fs.Usage()
		return nil, fmt.Errorf("%s: no trace file given", name)
	}
	return files, nil
}
