package scap

import (
	"fmt"

	"github.com/syscam/syscam/format"
)

// Reader is a format.Source: analyzers read a .scap capture as they read a trace.
var _ format.Source = (*Reader)(nil)

// Header describes the capture as a syscam header: the machine block gives the host
// name, CPU count and boot time; Created is the time of the first event; Provenance
// says the content was recorded by sysdig/Falco in scap format.
func (r *Reader) Header() format.Header {
	h := format.Header{
		Recorder: fmt.Sprintf("scap %d.%d", r.sec.Major, r.sec.Minor),
		Created:  r.first,
		Labels:   map[string]string{"format": "scap"},
	}
	if r.sec.UserAppl != "" {
		h.Recorder += " (" + r.sec.UserAppl + ")"
	}
	if m := r.sec.Machine; m != nil {
		h.Host = format.Host{Hostname: m.Hostname, BootTime: m.BootTime, NumCPU: int(m.NumCPUs), Arch: "x86_64"}
	}
	h.Provenance = []format.Provenance{{Tool: "sysdig/Falco", Action: "recorded in scap format", Source: r.name}}
	return h
}

// Events iterates over the selected events in timestamp order (see Ordered).
func (r *Reader) Events(sel format.Selection) *format.Events {
	return format.NewEvents(r.Ordered(FilterOf(sel)), format.Selection{})
}

// FilterOf converts a format.Selection into a Filter.
func FilterOf(sel format.Selection) Filter {
	return Filter{From: sel.From, To: sel.To, Types: sel.Types, TIDs: sel.TIDs, PIDs: sel.PIDs}
}
