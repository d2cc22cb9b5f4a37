package format

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

// Header describes a trace: where and how it was recorded, and the schema of the event
// types it may hold. It is written once at the start of every file (every file of a
// rotated set carries it whole), so each file is readable alone.
type Header struct {
	// Version is the format version of the file; set by the writer, read back by the
	// reader.
	Version uint16 `json:"version"`
	Host    Host   `json:"host"`
	// Recorder is the version of the program that wrote the file ("syscam 0.1.0").
	Recorder    string   `json:"recorder,omitempty"`
	CommandLine []string `json:"command_line,omitempty"`
	// Filters is the capture filter the recorder applied, as the user wrote it.
	Filters string `json:"filters,omitempty"`
	// Snaplen is the most bytes of an I/O buffer the recorder kept per event.
	Snaplen uint32 `json:"snaplen,omitempty"`
	// Created is when the file was created, wall-clock ns since the Unix epoch.
	Created int64 `json:"created,omitempty"`
	// Provenance records how the content came to be: converted from a .scap file,
	// copied, re-signed. Oldest first.
	Provenance []Provenance `json:"provenance,omitempty"`
	// CaptureID is random and shared by every file of one recording (one rotated set),
	// so that readers can tell parts of one capture from separate captures.
	CaptureID string `json:"capture_id,omitempty"`
	// Part is the position of the file in a rotated set, from 1 (0: not rotated).
	Part int `json:"part,omitempty"`
	// Schema lists every event type of the writer's table with its parameters. The
	// writer fills it from the event package; a reader maps the file's parameters to
	// the current table by name when the two differ.
	Schema []TypeSchema `json:"schema,omitempty"`
	// Labels are free-form key/value notes ("case": "IR-2026-113").
	Labels map[string]string `json:"labels,omitempty"`
}

// Host identifies the recorded machine.
type Host struct {
	Hostname      string `json:"hostname,omitempty"`
	KernelRelease string `json:"kernel_release,omitempty"`
	KernelVersion string `json:"kernel_version,omitempty"`
	Arch          string `json:"arch,omitempty"`
	MachineID     string `json:"machine_id,omitempty"`
	BootID        string `json:"boot_id,omitempty"`
	// BootTime is the wall-clock time of boot, ns since the Unix epoch.
	BootTime int64 `json:"boot_time,omitempty"`
	// ClockOffset is wall clock minus the kernel's monotonic boot clock, in ns: the
	// recorder adds it to kernel timestamps.
	ClockOffset int64 `json:"clock_offset,omitempty"`
	NumCPU      int   `json:"num_cpu,omitempty"`
}

// Provenance is one step in the history of a file's content.
type Provenance struct {
	Tool   string `json:"tool,omitempty"`   // "syscam record 0.1.0", "inspect convert"
	Action string `json:"action,omitempty"` // "recorded", "converted from scap"
	Source string `json:"source,omitempty"` // input file name, when any
	SHA256 string `json:"sha256,omitempty"` // hex digest of the input file
	Time   int64  `json:"time,omitempty"`   // when, ns since the Unix epoch
	Note   string `json:"note,omitempty"`
}

// TypeSchema describes one event type as the file's writer knew it.
type TypeSchema struct {
	Type   event.Type    `json:"type"`
	Name   string        `json:"name"`
	Params []ParamSchema `json:"params,omitempty"`
}

// ParamSchema is one parameter of a TypeSchema.
type ParamSchema struct {
	Name string     `json:"name"`
	Kind event.Kind `json:"kind"`
}

// CurrentSchema returns the schema of this build's event table: every type with
// decoded parameters. Generic syscalls (raw arguments) are left out: a type missing
// from a file's schema has integer parameters, which is what generic ones are.
func CurrentSchema() []TypeSchema {
	all := event.All()
	out := make([]TypeSchema, 0, len(all))
	for _, in := range all {
		if in.Flags&event.Generic != 0 {
			continue
		}
		ts := TypeSchema{Type: in.Type, Name: in.Name, Params: make([]ParamSchema, len(in.Params))}
		for i, p := range in.Params {
			ts.Params[i] = ParamSchema{Name: p.Name, Kind: p.Kind}
		}
		out = append(out, ts)
	}
	return out
}

// MarshalJSON writes a TypeSchema as one string, "257 openat dirfd:6 name:14 ...",
// (type, name, then each parameter's name and kind number) so that the schema of the
// whole table costs a few kilobytes per file and parses fast.
func (ts TypeSchema) MarshalJSON() ([]byte, error) {
	b := strconv.AppendUint(nil, uint64(ts.Type), 10)
	b = append(b, ' ')
	b = append(b, ts.Name...)
	for _, pr := range ts.Params {
		b = append(b, ' ')
		b = append(b, pr.Name...)
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(pr.Kind), 10)
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (ts *TypeSchema) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b)) // fast path: names are plain ASCII
	if err != nil {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("schema entry: %w", err)
		}
	}
	f := strings.Fields(s)
	if len(f) < 2 {
		return fmt.Errorf("schema entry %q: want a type and a name", s)
	}
	t, err := strconv.ParseUint(f[0], 10, 16)
	if err != nil {
		return fmt.Errorf("schema entry %q: bad type", s)
	}
	ts.Type, ts.Name, ts.Params = event.Type(t), f[1], make([]ParamSchema, 0, len(f)-2)
	for _, p := range f[2:] {
		name, kind, ok := strings.Cut(p, ":")
		k, err := strconv.ParseUint(kind, 10, 8)
		if !ok || err != nil {
			return fmt.Errorf("schema of %s: bad parameter %q", ts.Name, p)
		}
		ts.Params = append(ts.Params, ParamSchema{Name: name, Kind: event.Kind(k)})
	}
	return nil
}
