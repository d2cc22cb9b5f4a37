package data

import (
	"github.com/syscam/syscam/state"
)

// maxFDsPerProc caps the files and connections remembered per process.
const maxFDsPerProc = 256

// Proc is what the UI shows of one process incarnation.
type Proc struct {
	ID         int // index in the load's process list, stable across updates
	PID, PPID  int32
	Parent     int // ID of the parent incarnation, -1 when unknown
	Name       string
	Exe        string
	Argv       []string
	Env        []string
	Cwd        string
	User       string
	Start      int64
	Exit       int64 // 0 while alive at the end of what was read
	ExitStatus int32
	ExitSignal uint8
	Events     uint64
	Alerts     int
	Files      []FDInfo // in the order they were opened; at most maxFDsPerProc
	Conns      []FDInfo
}

// FDInfo is one file or connection a process had open.
type FDInfo struct {
	FD     int32
	Name   string
	Type   string
	Opened int64
}

// procTable tracks the incarnations a replay meets.
type procTable struct {
	byPtr map[*state.Process]int
	ptrs  []*state.Process
	procs []Proc
	seen  []map[string]bool
}

func newProcTable() *procTable {
	return &procTable{byPtr: map[*state.Process]int{}}
}

// id returns the incarnation's index, adding it when new.
func (pt *procTable) id(p *state.Process) int {
	if i, ok := pt.byPtr[p]; ok {
		return i
	}
	i := len(pt.procs)
	pt.byPtr[p] = i
	pt.ptrs = append(pt.ptrs, p)
	pt.procs = append(pt.procs, Proc{ID: i, PID: p.PID, Parent: -1})
	pt.seen = append(pt.seen, nil)
	return i
}

// addFD remembers an fd the process opened.
func (pt *procTable) addFD(i int, num int32, f *state.FD) {
	name := f.Name
	if name == "" {
		name = f.String()
	}
	if pt.seen[i] == nil {
		pt.seen[i] = map[string]bool{}
	}
	if pt.seen[i][name] || len(pt.seen[i]) >= 2*maxFDsPerProc {
		return
	}
	pt.seen[i][name] = true
	info := FDInfo{FD: num, Name: name, Type: f.Type.String(), Opened: f.Opened}
	p := &pt.procs[i]
	if f.Type.IsSocket() {
		if len(p.Conns) < maxFDsPerProc {
			p.Conns = append(p.Conns, info)
		}
	} else if len(p.Files) < maxFDsPerProc {
		p.Files = append(p.Files, info)
	}
}

// snapshot refreshes every incarnation from the engine and returns a copy the UI
// may keep: later appends never touch the copied prefixes.
func (pt *procTable) snapshot(eng *state.Engine) []Proc {
	for i, p := range pt.ptrs {
		pt.refresh(eng, i, p)
	}
	out := make([]Proc, len(pt.procs))
	copy(out, pt.procs)
	for i := range out {
		out[i].Files = out[i].Files[:len(out[i].Files):len(out[i].Files)]
		out[i].Conns = out[i].Conns[:len(out[i].Conns):len(out[i].Conns)]
	}
	return out
}

func (pt *procTable) refresh(eng *state.Engine, i int, p *state.Process) {
	d := &pt.procs[i]
	d.PPID, d.Name, d.Exe, d.Argv, d.Env, d.Cwd = p.PPID, p.Name(), p.Exe, p.Argv, p.Env, p.Cwd
	d.Start, d.Exit, d.ExitStatus, d.ExitSignal = p.Start, p.Exit, p.ExitStatus, p.ExitSignal
	if p.Parent != nil {
		if j, ok := pt.byPtr[p.Parent]; ok {
			d.Parent = j
		}
	}
	if p.Leader != nil && d.User == "" {
		if u := eng.UserOf(p.Leader); u != nil && u.Name != "" {
			d.User = u.Name
		} else {
			d.User = uidString(p.Leader.Creds.EUID)
		}
	}
}

func uidString(uid uint32) string {
	if uid == state.NoUID {
		return ""
	}
	return itoa(int64(uid))
}
