package report

import (
	"fmt"
	"maps"
	"net/netip"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// FollowSpec names what to follow: one of FD, Conn or File.
type FollowSpec struct {
	// PID and FD follow one fd number of one process (--fd PID:FD), whatever it
	// refers to over time.
	PID, FD int32
	HasFD   bool
	// Conn follows one inet connection (--conn), either way round.
	Conn    [2]netip.AddrPort
	HasConn bool
	// File follows every fd open on one path, in every process (--file).
	File string
	// Host, when set, keeps only that host's events (a name or id).
	Host string
}

// Flag returns the selection as its flag is written, for messages.
func (s FollowSpec) Flag() string {
	switch {
	case s.HasFD:
		return fmt.Sprintf("--fd %d:%d", s.PID, s.FD)
	case s.HasConn:
		return fmt.Sprintf("--conn %s->%s", s.Conn[0], s.Conn[1])
	}
	return "--file " + s.File
}

// ParseFD parses --fd's PID:FD.
func ParseFD(s string) (pid, fd int32, err error) {
	a, b, ok := strings.Cut(s, ":")
	p, err1 := strconv.ParseInt(a, 10, 32)
	f, err2 := strconv.ParseInt(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || p <= 0 || f < 0 {
		return 0, 0, fmt.Errorf("parse fd %q: want PID:FD, like 1234:3", s)
	}
	return int32(p), int32(f), nil
}

// ParseConn parses --conn's tuple: "10.0.0.1:5000->10.0.0.2:80" (also "-" or a
// space between the ends; IPv6 as [::1]:80).
func ParseConn(s string) ([2]netip.AddrPort, error) {
	var ends [2]netip.AddrPort
	a, b, ok := strings.Cut(s, "->")
	if !ok {
		a, b, ok = strings.Cut(s, " ")
	}
	if !ok {
		if i := strings.LastIndex(s, "-"); i > 0 {
			a, b, ok = s[:i], s[i+1:], true
		}
	}
	var err1, err2 error
	if ok {
		ends[0], err1 = netip.ParseAddrPort(strings.TrimSpace(a))
		ends[1], err2 = netip.ParseAddrPort(strings.TrimSpace(b))
	}
	if !ok || err1 != nil || err2 != nil {
		return ends, fmt.Errorf("parse connection %q: want ADDR:PORT->ADDR:PORT, like 10.0.0.1:5000->10.0.0.2:80", s)
	}
	return ends, nil
}

// Direction says which way a chunk went, seen from the followed end: Out is written or
// sent by it, In read or received.
type Direction uint8

// Directions.
const (
	In Direction = iota
	Out
)

// Chunk is the data of one I/O call.
type Chunk struct {
	Time    int64
	Host    string
	PID     int32
	Process string
	FD      int32
	Syscall string
	Dir     Direction
	// Stream names what the fd refers to: a path, or client->server for a connection.
	Stream string
	// Role is the followed end of a connection ("client", "server"), else "".
	Role string
	Data []byte // the recorded bytes (valid until the next chunk)
	// Len is how many bytes the call moved; Len-len(Data) were not recorded: Cut when
	// the snaplen cut them, NoBuffer when the call has no buffer (sendfile).
	Len      int64
	Cut      bool
	NoBuffer bool  // the call has no buffer parameter
	Offset   int64 // bytes moved in this direction before the chunk
}

// Missing returns how many bytes of the chunk were not recorded.
func (c *Chunk) Missing() int64 { return c.Len - int64(len(c.Data)) }

// Follow picks the I/O of what FollowSpec names and hands it on as chunks, in order.
type Follow struct {
	spec     FollowSpec
	out      func(*Chunk) error
	offsets  [2]int64
	local    netip.AddrPort // the followed end of a connection, fixed by the first match
	peer     uint64         // events of the other end, also recorded, left out
	sendfile event.Type
	chunk    Chunk
	matched  uint64
	// miss notes, until the first match, what the trace holds near the selection, so
	// that an empty result can say why (a typo, the wrong pid) instead of printing
	// nothing: a responder cannot tell a typo from silence.
	miss followMiss
}

// followMiss is what Follow saw of the selection while nothing matched.
type followMiss struct {
	pid     bool   // --fd: the pid made calls
	comm    string // its name
	fdName  string // --fd: what the fd was open on at some point, "" if never open
	opened  bool   // --file: an fd was open on the path
	similar map[string]struct{}
	conns   map[[2]netip.AddrPort]struct{} // --conn: the connections with calls
}

// maxSimilar bounds the names followMiss keeps: a hint needs a few, not all.
const maxSimilar = 1000

// NewFollow returns a Follow that calls out for each chunk.
func NewFollow(spec FollowSpec, out func(*Chunk) error) *Follow {
	if spec.File != "" {
		spec.File = path.Clean(spec.File)
	}
	sf, _ := event.ByName("sendfile")
	return &Follow{spec: spec, out: out, sendfile: sf}
}

// PeerEvents returns how many I/O events of the connection's other end were recorded
// too and left out (a loopback connection, or both hosts recorded).
func (f *Follow) PeerEvents() uint64 { return f.peer }

// Matched returns how many calls matched the selection, whatever their direction.
func (f *Follow) Matched() uint64 { return f.matched }

// Add hands on the event's data when it is I/O on the followed fd.
func (f *Follow) Add(r *Record) error {
	ev := r.Event
	if f.spec.Host != "" && !r.Host.Is(f.spec.Host) {
		return nil
	}
	if f.matched == 0 {
		f.note(r)
	}
	info := ev.Info()
	io := info.Flags & (event.ReadsData | event.WritesData)
	if (io == 0 && ev.Type != f.sendfile) || ev.Ret <= 0 || ev.Flags&event.FlagEnter != 0 || ev.Failed() {
		return nil
	}
	fdnum, fd := r.View.FDNum, r.View.FD
	if ev.Type == f.sendfile {
		fdnum = int32(ev.Int(ev.Param("out_fd")))
		fd = r.View.Thread.FD(fdnum)
		io = event.WritesData
	}
	if fd == nil || !f.match(r, fdnum, fd) {
		return nil
	}
	f.matched++
	return f.emit(r, fdnum, fd, io == event.WritesData)
}

// note records what the event says about the selection, for Unmatched.
func (f *Follow) note(r *Record) {
	m := &f.miss
	th, fd := r.View.Thread, r.View.FD
	switch {
	case f.spec.HasFD:
		if r.Event.PID != f.spec.PID || th == nil {
			return
		}
		m.pid = true
		if m.comm == "" {
			m.comm = th.Comm
		}
		if m.fdName == "" {
			if fd := th.FD(f.spec.FD); fd != nil {
				m.fdName = string(fd.AppendName(nil))
			}
		}
	case f.spec.File != "":
		if fd == nil || fd.Type != state.FDFile {
			return
		}
		if fd.Name == f.spec.File {
			m.opened = true
		} else if path.Base(fd.Name) == path.Base(f.spec.File) && len(m.similar) < maxSimilar {
			if m.similar == nil {
				m.similar = map[string]struct{}{}
			}
			m.similar[fd.Name] = struct{}{}
		}
	case f.spec.HasConn:
		if fd == nil || (fd.Type != state.FDIPv4 && fd.Type != state.FDIPv6) || !fd.Remote.IsValid() || len(m.conns) >= maxSimilar {
			return
		}
		if m.conns == nil {
			m.conns = map[[2]netip.AddrPort]struct{}{}
		}
		c := [2]netip.AddrPort{fd.Local, fd.Remote}
		if c[0].Compare(c[1]) > 0 {
			c[0], c[1] = c[1], c[0] // both ends of a loopback connection are one connection
		}
		m.conns[c] = struct{}{}
	}
}

// Unmatched says why no call matched the selection, with a hint at what the trace
// holds instead; "" when some call matched. hosts are those the events came from,
// after the run: their state knows the processes that made no call.
func (f *Follow) Unmatched(hosts []*Host) string {
	if f.matched > 0 {
		return ""
	}
	m := &f.miss
	switch {
	case f.spec.HasFD && !m.pid:
		for _, h := range hosts {
			if f.spec.Host != "" && !h.Is(f.spec.Host) || h.eng == nil {
				continue
			}
			if p := h.eng.Process(f.spec.PID); p != nil {
				return fmt.Sprintf("pid %d (%s) made no call in the capture", f.spec.PID, p.Name())
			}
		}
		return fmt.Sprintf("no process with pid %d in the capture", f.spec.PID)
	case f.spec.HasFD && m.fdName == "":
		return fmt.Sprintf("pid %d (%s) is in the capture, but it never had fd %d open", f.spec.PID, m.comm, f.spec.FD)
	case f.spec.HasFD:
		return fmt.Sprintf("fd %d of pid %d (%s) was open on %s, but no data was read or written on it",
			f.spec.FD, f.spec.PID, m.comm, m.fdName)
	case f.spec.File != "" && m.opened:
		return fmt.Sprintf("%s was open, but no data was read or written on it", f.spec.File)
	case f.spec.File != "":
		s := fmt.Sprintf("no fd was open on %s in the capture", f.spec.File)
		if len(m.similar) > 0 {
			s += "; files of the same name: " + few(slices.Sorted(maps.Keys(m.similar)))
		}
		return s
	case f.spec.HasConn:
		s := fmt.Sprintf("no connection %s->%s in the capture", f.spec.Conn[0], f.spec.Conn[1])
		if len(m.conns) > 0 {
			var names []string
			for c := range m.conns {
				names = append(names, c[0].String()+"->"+c[1].String())
			}
			slices.Sort(names)
			s += "; its connections: " + few(names) + " ('inspect stats' lists them)"
		}
		return s
	}
	return "nothing to follow"
}

// few joins the first names of a list, saying how many more there are.
func few(names []string) string {
	const n = 3
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

func (f *Follow) match(r *Record, fdnum int32, fd *state.FD) bool {
	switch {
	case f.spec.HasFD:
		return r.Event.PID == f.spec.PID && fdnum == f.spec.FD
	case f.spec.File != "":
		return fd.Type == state.FDFile && fd.Name == f.spec.File
	case f.spec.HasConn:
		return f.matchConn(fd)
	}
	return false
}

func (f *Follow) matchConn(fd *state.FD) bool {
	if fd.Type != state.FDIPv4 && fd.Type != state.FDIPv6 {
		return false
	}
	a, b := f.spec.Conn[0], f.spec.Conn[1]
	if !(fd.Local == a && fd.Remote == b) && !(fd.Local == b && fd.Remote == a) {
		return false
	}
	if !f.local.IsValid() {
		f.local = fd.Local
	}
	if fd.Local != f.local {
		f.peer++
		return false
	}
	return true
}

func (f *Follow) emit(r *Record, fdnum int32, fd *state.FD, write bool) error {
	ev := r.Event
	c := &f.chunk
	*c = Chunk{Time: ev.Time, Host: r.Host.Label(), PID: ev.PID, Process: r.View.Thread.Comm, FD: fdnum,
		Syscall: ev.Name(), Stream: string(fd.AppendName(nil)), Len: ev.Ret}
	if fd.Type.IsSocket() {
		c.Role = map[state.Role]string{state.RoleClient: "client", state.RoleServer: "server"}[fd.Role]
	}
	if write {
		c.Dir = Out
	}
	if i := ev.Param("data"); i >= 0 && i < int(ev.NParams) {
		data := ev.Bytes(i)
		c.Cut = ev.Params[i].Orig > uint32(len(data))
		c.Data = data[:min(int64(len(data)), c.Len)]
	} else {
		c.NoBuffer = true
	}
	c.Offset = f.offsets[c.Dir]
	f.offsets[c.Dir] += c.Len
	return f.out(c)
}
