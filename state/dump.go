package state

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Dump writes the whole state as text, one line per process, thread and fd, in a
// stable order (processes by pid then start, threads by tid then start). Two engines
// with equal state dump equal text: tests compare state this way, and
// `inspect` uses it for debugging. Fd tables are numbered in order of appearance.
func (e *Engine) Dump(w io.Writer) error {
	var b strings.Builder
	for _, uid := range sortedKeys(e.users) {
		u := e.users[uid]
		fmt.Fprintf(&b, "user %d %s gid=%d home=%s shell=%s\n", u.UID, u.Name, u.GID, u.Home, u.Shell)
	}
	for _, gid := range sortedKeys(e.groups) {
		fmt.Fprintf(&b, "group %d %s\n", gid, e.groups[gid].Name)
	}
	for _, id := range sortedKeys(e.cgroups) {
		fmt.Fprintf(&b, "cgroup %d %s\n", id, e.cgroups[id])
	}
	for _, id := range sortedKeys(e.containers) {
		c := e.containers[id]
		fmt.Fprintf(&b, "container %s runtime=%s name=%s image=%s cgroup=%s\n", c.ID, c.Runtime, c.Name, c.Image, c.Cgroup)
	}
	tables := map[*FDTable]int{}
	threads := map[*Process][]*Thread{}
	for _, t := range e.allThreads() {
		threads[t.Proc] = append(threads[t.Proc], t)
	}
	for _, p := range e.sortedProcesses() {
		dumpProcess(&b, p, threads[p], tables)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sortedProcesses returns every process the engine keeps, older incarnations of a
// pid included, by pid then start.
func (e *Engine) sortedProcesses() []*Process {
	seen := map[*Process]bool{}
	var ps []*Process
	for _, t := range e.allThreads() {
		if !seen[t.Proc] {
			seen[t.Proc] = true
			ps = append(ps, t.Proc)
		}
	}
	slices.SortFunc(ps, func(a, b *Process) int {
		return cmp.Or(cmp.Compare(a.PID, b.PID), cmp.Compare(a.Start, b.Start))
	})
	return ps
}

func dumpProcess(b *strings.Builder, p *Process, ts []*Thread, tables map[*FDTable]int) {
	fmt.Fprintf(b, "proc %d ppid=%d start=%d", p.PID, p.PPID, p.Start)
	if p.Exit != 0 {
		fmt.Fprintf(b, " exit=%d status=%d sig=%d", p.Exit, p.ExitStatus, p.ExitSignal)
		if p.Core {
			b.WriteString(" core")
		}
	}
	if p.placeholder {
		b.WriteString(" placeholder")
	}
	if p.Subreaper {
		b.WriteString(" subreaper")
	}
	fmt.Fprintf(b, " exe=%s exepath=%s argv=%q cwd=%s", p.Exe, p.ExePath, p.Argv, p.Cwd)
	if len(p.Env) > 0 {
		fmt.Fprintf(b, " env=%q", p.Env)
	}
	fmt.Fprintf(b, " sid=%d pgid=%d tty=%d", p.SID, p.PGID, p.TTY)
	if p.CgroupID != 0 {
		fmt.Fprintf(b, " cgroup=%d", p.CgroupID)
	}
	if p.VPID != 0 {
		fmt.Fprintf(b, " vpid=%d", p.VPID)
	}
	if p.ExecTime != 0 {
		fmt.Fprintf(b, " exec=%d", p.ExecTime)
	}
	b.WriteString("\n")
	slices.SortFunc(ts, func(x, y *Thread) int {
		return cmp.Or(cmp.Compare(x.TID, y.TID), cmp.Compare(x.Start, y.Start))
	})
	for _, t := range ts {
		dumpThread(b, t, tables)
	}
}

func dumpThread(b *strings.Builder, t *Thread, tables map[*FDTable]int) {
	c := &t.Creds
	fmt.Fprintf(b, "  thread %d comm=%s start=%d", t.TID, t.Comm, t.Start)
	if t.Exit != 0 {
		fmt.Fprintf(b, " exit=%d status=%d sig=%d", t.Exit, t.ExitStatus, t.ExitSignal)
		if t.Core {
			b.WriteString(" core")
		}
	}
	if t.Placeholder() {
		b.WriteString(" placeholder")
	}
	fmt.Fprintf(b, " uid=%d/%d/%d/%d gid=%d/%d/%d/%d", c.UID, c.EUID, c.SUID, c.FSUID, c.GID, c.EGID, c.SGID, c.FSGID)
	if c.LoginUID != NoUID {
		fmt.Fprintf(b, " loginuid=%d", c.LoginUID)
	}
	if c.CapEffective|c.CapPermitted|c.CapInheritable != 0 {
		fmt.Fprintf(b, " caps=%x/%x/%x", c.CapEffective, c.CapPermitted, c.CapInheritable)
	}
	if t.Files == nil {
		b.WriteString("\n")
		return
	}
	id, seen := tables[t.Files]
	if !seen {
		id = len(tables) + 1
		tables[t.Files] = id
	}
	fmt.Fprintf(b, " files=#%d\n", id)
	if seen {
		return
	}
	t.Files.Range(func(num int32, f *FD) bool {
		fmt.Fprintf(b, "    fd %d %s", num, f)
		if t.Files.CloseOnExec(num) {
			b.WriteString(" cloexec")
		}
		b.WriteString("\n")
		return true
	})
}
