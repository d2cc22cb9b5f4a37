package capture

import (
	"bytes"
	"encoding/binary"
	"os"
	"strconv"

	"github.com/syscam/syscam/event"
)

// pendingCalls calls fn with an enter event (event.FlagEnter) for every selected
// thread that is blocked in a syscall when the capture stops: an accept, read or
// connect that never returned would otherwise leave no trace. The arguments come from
// /proc/PID/task/TID/syscall, which holds the number and the six raw arguments of the
// call a sleeping thread is in:
//
//	43 0x3 0x7ffc6d3b0c10 0x7ffc6d3b0c0c 0x0 0x0 0x0 0x7ffc6d3b0bf8 0x7f9b1c0e5a47
//
// ("running" for a thread on a CPU, "-1 ..." for one blocked outside a syscall).
// Memory arguments (paths, buffers) are not read: their parameters stay empty.
func (r *Recorder) pendingCalls(at int64, fn func(e *event.Event)) {
	var e event.Event
	raw := make([]byte, recHdrSize+6*8)
	for _, pid := range r.pendingPIDs() {
		tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		if err != nil {
			continue // exited: normal
		}
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil || !r.pendingRecord(raw, pid, tid, at) {
				continue
			}
			if r.dec.decode(raw, &e) == nil {
				fn(&e)
			}
		}
	}
}

// pendingPIDs lists the processes the filters follow, or every process but this one.
func (r *Recorder) pendingPIDs() []int {
	self := os.Getpid()
	var pids []int
	if r.opts.Children || len(r.opts.PIDs) > 0 {
		tr := make([]byte, r.probe.traced.Size())
		r.probe.traced.ReadAt(tr, 0)
		// Array map elements are 8-byte aligned: a u32 value takes 8 bytes.
		for pid := 1; 8*pid+4 <= len(tr); pid++ {
			if binary.LittleEndian.Uint32(tr[8*pid:]) != 0 {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	ents, _ := os.ReadDir("/proc")
	for _, d := range ents {
		if pid, err := strconv.Atoi(d.Name()); err == nil && pid != self {
			pids = append(pids, pid)
		}
	}
	return pids
}

// pendingRecord fills raw with a record of the call thread tid is blocked in, and
// reports whether there is one the filters select.
func (r *Recorder) pendingRecord(raw []byte, pid, tid int, at int64) bool {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid) + "/"
	if len(r.opts.Comms) > 0 && !r.commSelected(dir) {
		return false
	}
	b, err := os.ReadFile(dir + "syscall")
	if err != nil {
		return false
	}
	f := bytes.Fields(b)
	if len(f) < 7 {
		return false
	}
	nr, err := strconv.ParseUint(string(f[0]), 10, 16)
	if err != nil || nr >= event.NumSyscallTypes || r.table.kernel[nr].Enabled == 0 {
		return false
	}
	le := binary.LittleEndian
	clear(raw)
	le.PutUint64(raw[0:], uint64(at-r.dec.bootOffset))
	le.PutUint32(raw[16:], uint32(tid))
	le.PutUint32(raw[20:], uint32(pid))
	le.PutUint16(raw[24:], uint16(nr))
	raw[28], raw[29] = event.FlagEnter, 6
	for i := range 6 {
		v, _ := strconv.ParseUint(string(bytes.TrimPrefix(f[1+i], []byte("0x"))), 16, 64)
		le.PutUint64(raw[recHdrSize+8*i:], v)
	}
	return true
}

func (r *Recorder) commSelected(dir string) bool {
	b, err := os.ReadFile(dir + "comm")
	if err != nil {
		return false
	}
	comm := string(bytes.TrimSpace(b))
	for _, c := range r.opts.Comms {
		if c == comm {
			return true
		}
	}
	return false
}
