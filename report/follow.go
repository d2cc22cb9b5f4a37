package report

import (
	"fmt"
	"net/netip"
	"path"
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
}

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

// Add hands on the event's data when it is I/O on the followed fd.
func (f *Follow) Add(r *Record) error {
	ev := r.Event
	info := ev.Info()
	io := info.Flags & (event.ReadsData | event.WritesData)
	if (io == 0 && ev.Type != f.sendfile) || ev.Ret <= 0 || ev.Flags&event.FlagEnter != 0 || ev.Failed() {
		return nil
	}
	if f.spec.Host != "" && r.Host.Name != f.spec.Host && r.Host.ID != f.spec.Host {
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
	return f.emit(r, fdnum, fd, io == event.WritesData)
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
