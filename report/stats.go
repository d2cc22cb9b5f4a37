package report

import (
	"net/netip"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// Stats accumulates the stats report over a Run: give Add to Run, then call Report.
// Its memory follows the number of distinct processes, files, connections and error
// kinds, not the number of events.
type Stats struct {
	hosts    []*Host
	procs    map[*state.Process]*ProcStat
	files    map[fileKey]*FileStat
	conns    map[connKey]*ConnStat
	errs     map[errKey]*ErrorStat
	syscalls []SyscallStat // by event type
	drops    map[dropKey]uint64
	events   uint64
	first    int64
	last     int64

	// one-entry caches: consecutive events mostly come from one thread and fd
	lastProc *state.Process
	lastPS   *ProcStat
	lastFD   *state.FD
	lastFS   *FileStat
	lastCS   *ConnStat
	lastPID  int32 // of lastCS: processes that share an fd (fork) have one row each
}

type fileKey struct {
	host int
	name string
}

type connKey struct {
	host           int
	pid            int32
	client, server netip.AddrPort
	proto          uint8
}

type errKey struct {
	proc  *state.Process
	errno int64
	typ   event.Type
}

type dropKey struct {
	host int
	cpu  uint16
}

// NewStats returns an empty Stats for the given hosts (their capture statistics go
// into the drops table).
func NewStats(hosts []*Host) *Stats {
	return &Stats{
		hosts:    hosts,
		procs:    map[*state.Process]*ProcStat{},
		files:    map[fileKey]*FileStat{},
		conns:    map[connKey]*ConnStat{},
		errs:     map[errKey]*ErrorStat{},
		drops:    map[dropKey]uint64{},
		syscalls: make([]SyscallStat, event.MaxType()),
	}
}

// Add counts one event; it never fails (the error is for Run's signature).
func (s *Stats) Add(r *Record) error {
	ev, v := r.Event, r.View
	s.events++
	if s.first == 0 {
		s.first = ev.Time
	}
	s.last = ev.Time
	info := ev.Info()
	failed := ev.Failed()
	s.countSyscall(ev, failed)
	if ev.Type == event.TypeDrop {
		s.drops[dropKey{r.Host.Index, ev.CPU}] += ev.Uint(1)
		return nil
	}
	if !info.IsSyscall() || v.Process == nil {
		return nil
	}
	ps := s.proc(r.Host, v.Process)
	ps.Events++
	ps.SyscallTime += ev.Latency
	if failed {
		ps.Errors++
		s.countError(r.Host, v.Process, ev)
		return nil
	}
	s.countFD(r, info, ps)
	return nil
}

func (s *Stats) countSyscall(ev *event.Event, failed bool) {
	if int(ev.Type) >= len(s.syscalls) {
		return // a type newer than this build: counted in events only
	}
	sc := &s.syscalls[ev.Type]
	sc.Count++
	sc.Time += ev.Latency
	if failed {
		sc.Errors++
	}
}

func (s *Stats) proc(h *Host, p *state.Process) *ProcStat {
	if p == s.lastProc {
		return s.lastPS
	}
	ps := s.procs[p]
	if ps == nil {
		ps = &ProcStat{Host: h.Label(), proc: p}
		s.procs[p] = ps
	}
	s.lastProc, s.lastPS = p, ps
	return ps
}

func (s *Stats) countError(h *Host, p *state.Process, ev *event.Event) {
	k := errKey{p, -ev.Ret, ev.Type}
	es := s.errs[k]
	if es == nil {
		es = &ErrorStat{Host: h.Label(), Errno: event.ErrnoName(-ev.Ret), Syscall: ev.Name(), proc: p}
		s.errs[k] = es
	}
	es.Count++
}

// countFD attributes the bytes of a successful read or write, and opens, to the
// process, the file or the connection.
func (s *Stats) countFD(r *Record, info *event.Info, ps *ProcStat) {
	ev, f := r.Event, r.View.FD
	io := info.Flags & (event.ReadsData | event.WritesData)
	var n int64
	if io != 0 && ev.Ret > 0 {
		n = ev.Ret
		if io == event.ReadsData {
			ps.ReadBytes += n
		} else {
			ps.WriteBytes += n
		}
	}
	if f == nil {
		return
	}
	switch {
	case f.Type == state.FDFile:
		s.countFile(r, info, f, io, n)
	case (f.Type == state.FDIPv4 || f.Type == state.FDIPv6) && f.Remote.IsValid():
		s.countConn(r, f, io, n)
	}
}

func (s *Stats) countFile(r *Record, info *event.Info, f *state.FD, io uint16, n int64) {
	fs := s.lastFS
	if f != s.lastFD || fs == nil {
		k := fileKey{r.Host.Index, f.Name}
		if fs = s.files[k]; fs == nil {
			fs = &FileStat{Host: r.Host.Label(), Path: f.Name}
			s.files[k] = fs
		}
		s.lastFD, s.lastFS, s.lastCS = f, fs, nil
	}
	switch {
	case info.Flags&event.CreatesFD != 0 && info.Category == event.CatFile:
		fs.Opens++
	case io == event.ReadsData:
		fs.Reads++
		fs.ReadBytes += n
	case io == event.WritesData:
		fs.Writes++
		fs.WriteBytes += n
	}
}

func (s *Stats) countConn(r *Record, f *state.FD, io uint16, n int64) {
	ev := r.Event
	cs, pid := s.lastCS, r.View.Process.PID
	if f != s.lastFD || cs == nil || pid != s.lastPID {
		k := connKey{r.Host.Index, pid, f.Client(), f.Server(), f.Proto}
		if cs = s.conns[k]; cs == nil {
			cs = newConnStat(r, f)
			s.conns[k] = cs
		}
		s.lastFD, s.lastCS, s.lastFS, s.lastPID = f, cs, nil, pid
	}
	cs.end = max(cs.end, ev.Time)
	// Bytes a client writes, or a server reads, go from client to server.
	toServer := (io == event.WritesData) == (f.Role != state.RoleServer)
	switch {
	case io == 0:
	case toServer:
		cs.ToServer += n
	default:
		cs.ToClient += n
	}
}

func newConnStat(r *Record, f *state.FD) *ConnStat {
	cs := &ConnStat{
		Host:    r.Host.Label(),
		Proto:   protoName(f.Proto),
		Client:  f.Client().String(),
		Server:  f.Server().String(),
		PID:     r.View.Process.PID,
		Process: r.View.Process.Name(),
		start:   r.Event.Time,
		end:     r.Event.Time,
	}
	if f.Opened != 0 && f.Opened < cs.start {
		cs.start = f.Opened
	}
	switch f.Role {
	case state.RoleClient:
		cs.Role = "client"
	case state.RoleServer:
		cs.Role = "server"
	}
	return cs
}

func protoName(p uint8) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 0:
		return ""
	}
	return string(event.IPProto.Append(nil, uint64(p)))
}
