package main

import (
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/report"
)

// scanTrace runs scan over t and calls fn for each matching event. The files of one
// host go through query.Scan, which pushes the filter down to the block index. Files
// of several hosts go through report.Run instead: each host replays into its own
// state (their pids and fds are unrelated), their events merge into one time order,
// and each event carries its own host's name and machine id (host.name, host.id).
// Both push the filter's bounds down alike (query.Scan.Selection).
func scanTrace(t *trace, scan *query.Scan, fn func(*query.Input) error) error {
	hosts := t.hosts()
	if len(hosts) < 2 {
		return scan.Run(t.set, fn)
	}
	sel, ok := scan.Selection()
	if !ok {
		return nil
	}
	opt := report.Options{Filter: scan.Filter, From: sel.From, To: sel.To, Location: scan.Location, Start: scan.Start,
		Narrow: sel, NoState: scan.AllNeeds() == query.NeedEvent}
	return report.Run(hosts, opt, func(r *report.Record) error { return fn(r.Input) })
}

// hosts groups the trace's files by the machine that recorded them; a .scap capture
// is one host. The hosts share t's open files: closing t closes them.
func (t *trace) hosts() []*report.Host {
	if t.syscam == nil {
		return nil
	}
	rs := t.syscam.Readers()
	files := make([]report.File, len(rs))
	for i, r := range rs {
		files[i] = r
	}
	return report.Group(files)
}
