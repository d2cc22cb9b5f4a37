package report

import (
	"fmt"
	"io"
)

// WriteText writes the report as tables, one section per list.
func (r *StatsReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%d events", r.Events)
	if r.Events > 0 {
		fmt.Fprintf(w, " from %s to %s (%s)", FormatTime(r.First), FormatTime(r.Last), fmtDur(r.Last-r.First))
	}
	fmt.Fprintln(w)
	for _, sec := range []func(io.Writer) error{r.writeProcs, r.writeFiles, r.writeConns, r.writeSyscalls, r.writeErrors, r.writeDrops} {
		fmt.Fprintln(w)
		if err := sec(w); err != nil {
			return err
		}
	}
	return nil
}

func (r *StatsReport) writeProcs(w io.Writer) error {
	fmt.Fprintln(w, "Top processes (by events)")
	t := newTable(w, "HOST", "PID", "PPID", "NAME", "EVENTS", "ERRORS", "SYSCALL TIME", "READ", "WRITTEN", "COMMAND")
	for _, p := range r.Processes {
		t.row(safe(p.Host), i64(int64(p.PID)), i64(int64(p.PPID)), safe(p.Name), u64(p.Events), u64(p.Errors),
			fmtDur(p.SyscallTime), fmtBytes(p.ReadBytes), fmtBytes(p.WriteBytes), clip(safe(p.Cmdline), 60))
	}
	return t.flush()
}

func (r *StatsReport) writeFiles(w io.Writer) error {
	fmt.Fprintln(w, "Top files (by bytes read and written)")
	t := newTable(w, "HOST", "OPENS", "READS", "READ", "WRITES", "WRITTEN", "PATH")
	for _, f := range r.Files {
		t.row(safe(f.Host), u64(f.Opens), u64(f.Reads), fmtBytes(f.ReadBytes), u64(f.Writes), fmtBytes(f.WriteBytes), safe(f.Path))
	}
	return t.flush()
}

func (r *StatsReport) writeConns(w io.Writer) error {
	fmt.Fprintln(w, "Top connections (by bytes)")
	t := newTable(w, "HOST", "PROTO", "CLIENT", "SERVER", "END", "PID", "PROCESS", "TO SERVER", "TO CLIENT", "START", "DURATION")
	for _, c := range r.Connections {
		t.row(safe(c.Host), c.Proto, c.Client, c.Server, c.Role, i64(int64(c.PID)), safe(c.Process),
			fmtBytes(c.ToServer), fmtBytes(c.ToClient), FormatTime(c.Start), fmtDur(c.Duration))
	}
	return t.flush()
}

func (r *StatsReport) writeSyscalls(w io.Writer) error {
	fmt.Fprintln(w, "Top syscalls (by count)")
	t := newTable(w, "SYSCALL", "COUNT", "ERRORS", "TIME")
	for _, s := range r.Syscalls {
		t.row(s.Name, u64(s.Count), u64(s.Errors), fmtDur(s.Time))
	}
	return t.flush()
}

func (r *StatsReport) writeErrors(w io.Writer) error {
	fmt.Fprintln(w, "Top errors (by errno, per process)")
	t := newTable(w, "HOST", "PID", "PROCESS", "ERRNO", "SYSCALL", "COUNT")
	for _, e := range r.Errors {
		t.row(safe(e.Host), i64(int64(e.PID)), safe(e.Process), e.Errno, e.Syscall, u64(e.Count))
	}
	return t.flush()
}

func (r *StatsReport) writeDrops(w io.Writer) error {
	fmt.Fprintln(w, "Drops (per host; CPUs listed when they lost events)")
	t := newTable(w, "HOST", "CPU", "SEEN", "WRITTEN", "DROPPED", "RING", "QUEUE", "READ", "DROP NOTICES")
	for _, h := range r.Hosts {
		if !h.Known {
			t.row(h.Host, "all", "?", "?", "?", "?", "?", "?", u64(h.Notices))
			continue
		}
		t.row(h.Host, "all", u64(h.Seen), u64(h.Written), u64(h.Dropped), u64(h.LostRing), u64(h.LostQueue), u64(h.LostRead), u64(h.Notices))
		for _, c := range h.CPUs {
			t.row(h.Host, i64(int64(c.CPU)), u64(c.Seen), "", u64(c.LostRing+c.LostQueue+c.LostRead), u64(c.LostRing), u64(c.LostQueue), u64(c.LostRead), "")
		}
	}
	return t.flush()
}
