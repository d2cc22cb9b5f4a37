package data

import (
	"fmt"

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

// FollowResult is the reassembled I/O of one fd.
type FollowResult struct {
	PID, FD int32
	Chunks  []Chunk
	Bytes   int64 // recorded bytes, kept or not
	Dropped int   // chunks past maxFollowBytes
}

// Follow reassembles the I/O of fd on process pid within [from, to) with report's
// follow logic. It reads the files again, so run it off the UI goroutine.
func Follow(t *Trace, pid, fd int32, from, to int64) (*FollowResult, error) {
	hosts, err := report.Open(t.Paths...)
	if err != nil {
		return nil, fmt.Errorf("follow fd %d:%d: %w", pid, fd, err)
	}
	defer report.Close(hosts)
	res := &FollowResult{PID: pid, FD: fd}
	var kept int64
	f := report.NewFollow(report.FollowSpec{PID: pid, FD: fd, HasFD: true}, func(c *report.Chunk) error {
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
