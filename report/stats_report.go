package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// StatsReport is the stats report: each list sorted, biggest first, and cut to the
// requested length.
type StatsReport struct {
	Events      uint64        `json:"events"` // events in the window that matched the filter
	First       int64         `json:"first"`  // ns of the first and last of them
	Last        int64         `json:"last"`
	Hosts       []HostStat    `json:"hosts"`
	Processes   []ProcStat    `json:"processes"`
	Files       []FileStat    `json:"files"`
	Connections []ConnStat    `json:"connections"`
	Syscalls    []SyscallStat `json:"syscalls"`
	Errors      []ErrorStat   `json:"errors"`
}

// HostStat is a host's capture statistics: what its files' footers count, and the
// drop notices in its event stream.
type HostStat struct {
	Host      string `json:"host"`
	ID        string `json:"id,omitempty"`
	Files     int    `json:"files"`
	Seen      uint64 `json:"seen"`    // events the kernel side produced
	Written   uint64 `json:"written"` // events written to the files
	Dropped   uint64 `json:"dropped"` // lost, all CPUs and causes
	LostRing  uint64 `json:"lost_ring"`
	LostQueue uint64 `json:"lost_queue"`
	LostRead  uint64 `json:"lost_read"`
	Notices   uint64 `json:"drop_notices"` // events lost according to drop events in the stream
	// Known is false when the files hold no capture statistics (see format.Stats.Known):
	// then Seen, Written and the losses are not counts but unknown.
	Known bool      `json:"stats_known"`
	CPUs  []CPUDrop `json:"cpus,omitempty"`
}

// CPUDrop is one CPU's losses, listed only for CPUs that lost events.
type CPUDrop struct {
	CPU       int    `json:"cpu"`
	Seen      uint64 `json:"seen"`
	LostRing  uint64 `json:"lost_ring"`
	LostQueue uint64 `json:"lost_queue"`
	LostRead  uint64 `json:"lost_read"`
}

// ProcStat is one process (one pid incarnation) of one host.
type ProcStat struct {
	Host    string `json:"host"`
	PID     int32  `json:"pid"`
	PPID    int32  `json:"ppid"`
	Name    string `json:"name"`
	Exe     string `json:"exe,omitempty"`
	Cmdline string `json:"cmdline,omitempty"`
	Events  uint64 `json:"events"`
	Errors  uint64 `json:"errors"`
	// SyscallTime sums the latency of its syscalls, where the recorder measured it:
	// time spent in the kernel on its behalf, blocking included.
	SyscallTime int64 `json:"syscall_time_ns"`
	ReadBytes   int64 `json:"read_bytes"`
	WriteBytes  int64 `json:"write_bytes"`

	proc *state.Process
}

// FileStat is one path of one host.
type FileStat struct {
	Host       string `json:"host"`
	Path       string `json:"path"`
	Opens      uint64 `json:"opens"`
	Reads      uint64 `json:"reads"`
	Writes     uint64 `json:"writes"`
	ReadBytes  int64  `json:"read_bytes"`
	WriteBytes int64  `json:"write_bytes"`
}

// ConnStat is one connection as one process saw it (a loopback connection whose both
// ends were recorded shows twice, once per end).
type ConnStat struct {
	Host     string `json:"host"`
	Proto    string `json:"proto"`
	Client   string `json:"client"`
	Server   string `json:"server"`
	Role     string `json:"role,omitempty"` // the recorded end: client or server
	PID      int32  `json:"pid"`
	Process  string `json:"process"`
	ToServer int64  `json:"bytes_to_server"`
	ToClient int64  `json:"bytes_to_client"`
	// Duration runs from the connection's creation (or first sight) to its close (or
	// last sight) within the window.
	Duration int64 `json:"duration_ns"`
	Start    int64 `json:"start"`

	start, end int64
}

// SyscallStat is one event type over all hosts.
type SyscallStat struct {
	Name   string `json:"name"`
	Count  uint64 `json:"count"`
	Errors uint64 `json:"errors"`
	Time   int64  `json:"time_ns"` // summed latency, where recorded
}

// ErrorStat counts one errno returned by one syscall to one process.
type ErrorStat struct {
	Host    string `json:"host"`
	PID     int32  `json:"pid"`
	Process string `json:"process"`
	Errno   string `json:"errno"`
	Syscall string `json:"syscall"`
	Count   uint64 `json:"count"`

	proc *state.Process
}

// Report builds the report, each list cut to top entries (0: all).
func (s *Stats) Report(top int) *StatsReport {
	r := &StatsReport{Events: s.events, First: s.first, Last: s.last}
	r.Hosts = s.hostStats()
	r.Processes = s.topProcs(top)
	r.Files = s.topFiles(top)
	r.Connections = s.topConns(top)
	r.Syscalls = s.topSyscalls(top)
	r.Errors = s.topErrors(top)
	return r
}

func cut[T any](list []T, top int) []T {
	if top > 0 && len(list) > top {
		return list[:top]
	}
	return list
}

func (s *Stats) hostStats() []HostStat {
	out := make([]HostStat, 0, len(s.hosts))
	for _, h := range s.hosts {
		st := h.Stats()
		hs := HostStat{Host: h.Label(), ID: h.ID, Files: len(h.Files), Seen: st.Seen, Written: st.Written, Dropped: st.Dropped(), Known: st.Known()}
		for _, c := range st.CPUs {
			hs.LostRing += c.LostRing
			hs.LostQueue += c.LostQueue
			hs.LostRead += c.LostRead
			if c.Lost() > 0 {
				hs.CPUs = append(hs.CPUs, CPUDrop{c.CPU, c.Seen, c.LostRing, c.LostQueue, c.LostRead})
			}
		}
		for k, n := range s.drops {
			if k.host == h.Index {
				hs.Notices += n
			}
		}
		out = append(out, hs)
	}
	return out
}

func (s *Stats) topProcs(top int) []ProcStat {
	out := make([]ProcStat, 0, len(s.procs))
	for p, ps := range s.procs {
		ps.PID, ps.PPID, ps.Name, ps.Exe = p.PID, p.PPID, p.Name(), p.ExePath
		if ps.Exe == "" {
			ps.Exe = p.Exe
		}
		ps.Cmdline = strings.Join(p.Argv, " ")
		out = append(out, *ps)
	}
	slices.SortFunc(out, func(a, b ProcStat) int {
		return cmp.Or(cmp.Compare(b.Events, a.Events), cmp.Compare(a.Host, b.Host), cmp.Compare(a.PID, b.PID), cmp.Compare(a.proc.Start, b.proc.Start))
	})
	return cut(out, top)
}

func (s *Stats) topFiles(top int) []FileStat {
	out := make([]FileStat, 0, len(s.files))
	for _, fs := range s.files {
		out = append(out, *fs)
	}
	slices.SortFunc(out, func(a, b FileStat) int {
		return cmp.Or(cmp.Compare(b.ReadBytes+b.WriteBytes, a.ReadBytes+a.WriteBytes),
			cmp.Compare(b.Opens, a.Opens), cmp.Compare(b.Reads+b.Writes, a.Reads+a.Writes),
			cmp.Compare(a.Host, b.Host), cmp.Compare(a.Path, b.Path))
	})
	return cut(out, top)
}

func (s *Stats) topConns(top int) []ConnStat {
	out := make([]ConnStat, 0, len(s.conns))
	for _, cs := range s.conns {
		c := *cs
		c.Start, c.Duration = c.start, c.end-c.start
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ConnStat) int {
		return cmp.Or(cmp.Compare(b.ToServer+b.ToClient, a.ToServer+a.ToClient), cmp.Compare(a.start, b.start),
			cmp.Compare(a.Host, b.Host), cmp.Compare(a.PID, b.PID), cmp.Compare(a.Client, b.Client))
	})
	return cut(out, top)
}

func (s *Stats) topSyscalls(top int) []SyscallStat {
	var out []SyscallStat
	for t, sc := range s.syscalls {
		if sc.Count > 0 {
			sc.Name = event.Lookup(event.Type(t)).Name
			out = append(out, sc)
		}
	}
	slices.SortFunc(out, func(a, b SyscallStat) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return cut(out, top)
}

func (s *Stats) topErrors(top int) []ErrorStat {
	out := make([]ErrorStat, 0, len(s.errs))
	for _, es := range s.errs {
		e := *es
		e.PID, e.Process = e.proc.PID, e.proc.Name()
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b ErrorStat) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Host, b.Host), cmp.Compare(a.PID, b.PID),
			cmp.Compare(a.Errno, b.Errno), cmp.Compare(a.Syscall, b.Syscall))
	})
	return cut(out, top)
}
