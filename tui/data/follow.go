package data

import (
	"fmt"
	"net/netip"

	"github.com/syscam/syscam/report"
)

// maxFollowBytes caps the bytes a follow keeps; the rest is counted.
const maxFollowBytes = 4 << 20

// Chunk is one I/O call's data on the followed fd.
type Chunk struct {
	Time    int64
	Out     bool // written or sent by the process; false: read or received
	Syscall string
	Stream  string
	Data    []byte
	Missing int64 // bytes the call moved that were not recorded
}

// Target is what a follow reassembles: an inet connection, either way round, or else
// the fd of one process from the instant it was opened on (an fd number is reused
// for other files over time).
type Target struct {
	PID, FD int32
	Since   int64 // when the fd was opened, ns; 0: from the start
	Conn    [2]netip.AddrPort
	HasConn bool
}

// FollowResult is the reassembled I/O of one fd.
type FollowResult struct {
	Target
	Chunks  []Chunk
	Bytes   int64 // recorded bytes, kept or not
	Dropped int   // chunks past maxFollowBytes
}

// Follow reassembles the I/O of target within [from, to) with report's follow
// logic. It reads the files again, so run it off the UI goroutine.
func Follow(t *Trace, target Target, from, to int64) (*FollowResult, error) {
	pid, fd := target.PID, target.FD
	hosts, err := report.Open(t.Paths...)
	if err != nil {
		return nil, fmt.Errorf("follow fd %d:%d: %w", pid, fd, err)
	}
	defer report.Close(hosts)
	spec := report.FollowSpec{PID: pid, FD: fd, HasFD: true}
	if target.HasConn {
		spec = report.FollowSpec{Conn: target.Conn, HasConn: true}
	}
	from = max(from, target.Since)
	res := &FollowResult{Target: target}
	var kept int64
	f := report.NewFollow(spec, func(c *report.Chunk) error {
		res.Bytes += int64(len(c.Data))
		if kept+int64(len(c.Data)) > maxFollowBytes {
			res.Dropped++
			return nil
		}
		kept += int64(len(c.Data))
		res.Chunks = append(res.Chunks, Chunk{Time: c.Time, Out: c.Dir == report.Out, Syscall: c.Syscall,
			Stream: c.Stream, Data: append([]byte(nil), c.Data...), Missing: c.Missing()})
		return nil
	})
	if err := report.Run(hosts, report.Options{From: from, To: to}, f.Add); err != nil {
		return nil, fmt.Errorf("follow fd %d:%d: %w", pid, fd, err)
	}
	return res, nil
}
