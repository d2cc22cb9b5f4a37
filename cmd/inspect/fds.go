package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

const fdsHelp = `
inspect fds lists the open file descriptors of one process at one instant of a
capture (its end when --at is not given): files with absolute paths, sockets with
both ends and their role, pipes, memfds and other anonymous fds.

Usage:
  inspect fds --pid N [flags] FILE...

` + timeArgHelp + `
Examples:
  inspect fds --pid 4242 trace.syscam
  inspect fds --pid 4242 --at 06:14:03 --json trace.syscam
`

// fdRow is one open fd, as printed.
type fdRow struct {
	FD      int32  `json:"fd"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Flags   string `json:"flags,omitempty"`
	CloExec bool   `json:"cloexec"`
	Role    string `json:"role,omitempty"`
	Proto   string `json:"proto,omitempty"`
}

func runFds(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fds", fdsHelp, stdout)
	pid := fs.Int("pid", 0, "the process whose fds to list (required)")
	at := fs.String("at", "", "list the fds open at TIME (default: the end of the capture)")
	asJSON := fs.Bool("json", false, "print one JSON object per fd")
	files, err := parseInterspersed(fs, args) // flags may follow the files
	if err != nil {
		return err
	}
	if *pid <= 0 {
		return fmt.Errorf("fds: --pid N is required (a process id > 0)")
	}
	t, instant, err := openTraceAt(files, *at, stderr)
	if err != nil {
		return fmt.Errorf("fds: %w", err)
	}
	defer t.set.Close()
	e, err := t.replay(instant, state.Config{})
	if err != nil {
		return fmt.Errorf("fds: %w", err)
	}
	p := e.Process(int32(*pid))
	if p == nil || p.Leader == nil && !p.Alive() {
		return fmt.Errorf("fds: no process with pid %d %s", *pid, when(instant))
	}
	rows := fdRows(p)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	status := "running"
	if !p.Alive() {
		status = "exited at " + fmtTime(p.Exit)
	}
	fmt.Fprintf(stdout, "pid %d %s (%s)\n", p.PID, p.Name(), status)
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "FD\tTYPE\tFLAGS\tNAME")
	for _, r := range rows {
		name := r.Name
		if r.Role != "" {
			name += " (" + r.Role + ")"
		}
		flags := r.Flags
		if r.Proto != "" {
			flags = r.Proto
		}
		if r.CloExec {
			flags += "|O_CLOEXEC"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.FD, r.Type, orDash(flags), name)
	}
	return tw.Flush()
}

// fdRows lists the fds of the process's main table (its leader's, else any thread's).
func fdRows(p *state.Process) []fdRow {
	var files *state.FDTable
	if p.Leader != nil {
		files = p.Leader.Files
	}
	var rows []fdRow
	if files == nil {
		return rows
	}
	files.Range(func(num int32, f *state.FD) bool {
		r := fdRow{FD: num, Type: f.Type.String(), Name: string(f.AppendName(nil)), CloExec: files.CloseOnExec(num)}
		if f.Type == state.FDUnix && f.Peer != "" {
			r.Name += " -> " + f.Peer
		}
		if f.Type.IsSocket() {
			if f.Role != state.RoleUnknown {
				r.Role = string(event.FDRole.Append(nil, uint64(f.Role)))
			}
			if f.Proto != 0 {
				r.Proto = string(event.IPProto.Append(nil, uint64(f.Proto)))
			}
		} else {
			r.Flags = string(event.OpenFlags.Append(nil, uint64(f.Flags)))
		}
		rows = append(rows, r)
		return true
	})
	return rows
}
