// Command trim makes testdata/events/incident.syscam from a recording of
// testdata/make-incident.sh: it keeps the scripted intrusion (the process running
// intrusion.sh and its descendants, their events and their part of the initial state,
// plus the users and groups) and drops the rest of the host, so that the fixture holds
// no process of the machine that happened to run the recorder. Events are copied as
// the recorder wrote them.
//
//	bash testdata/make-incident.sh /tmp/incident.syscam
//	go run ./cmd/inspect/testdata/events/trim /tmp/incident.syscam cmd/inspect/testdata/events/incident.syscam
package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: trim RECORDING OUT")
		os.Exit(2)
	}
	if err := trim(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "trim:", err)
		os.Exit(1)
	}
}

func trim(in, out string) error {
	r, err := format.Open(in)
	if err != nil {
		return err
	}
	defer r.Close()
	evs, err := readAll(r)
	if err != nil {
		return err
	}
	keep := incidentPIDs(evs)
	if len(keep) == 0 {
		return fmt.Errorf("%s: no process runs intrusion.sh", in)
	}
	snap, err := r.InitialState()
	if err != nil {
		return err
	}
	h := r.Header()
	h.Host.MachineID, h.Host.BootID = "", ""
	h.Provenance = append(h.Provenance, format.Provenance{Tool: "cmd/inspect/testdata/events/trim",
		Action: "trimmed to the intrusion's process tree", Time: time.Now().UnixNano()})
	w, err := format.Create(out, h, format.WriterOptions{BlockEvents: 2048})
	if err != nil {
		return err
	}
	if err := w.WriteState(h.Created, keepState(snap, keep)); err != nil {
		return err
	}
	for _, e := range evs {
		if keep[e.PID] {
			if err := w.Write(e); err != nil {
				return err
			}
		}
	}
	return w.Close()
}

func readAll(r *format.Reader) ([]*event.Event, error) {
	it := r.Events(format.Selection{})
	defer it.Close()
	var evs []*event.Event
	var e event.Event
	for it.Next(&e) {
		evs = append(evs, e.Clone())
	}
	return evs, it.Err()
}

// incidentPIDs returns the pid that executes intrusion.sh and every process it forks.
func incidentPIDs(evs []*event.Event) map[int32]bool {
	keep := map[int32]bool{}
	for _, e := range evs {
		switch {
		case len(keep) == 0 && e.Name() == "execve" && bytes.Contains(e.Bytes(e.Param("argv")), []byte("intrusion.sh")):
			keep[e.PID] = true
		case keep[e.PID] && e.Type == event.TypeProcFork:
			keep[int32(e.Int(e.Param("child_pid")))] = true
		}
	}
	return keep
}

// keepState keeps the users, groups, cgroups and containers, and the threads and fds
// of kept processes.
func keepState(snap []*event.Event, keep map[int32]bool) []*event.Event {
	var out []*event.Event
	for _, e := range snap {
		switch e.Type {
		case event.TypeProcInfo, event.TypeFDInfo:
			if keep[e.PID] {
				out = append(out, e)
			}
		default:
			out = append(out, e)
		}
	}
	return out
}
