package report

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
)

// Host is one recorded machine and the files that hold its events.
type Host struct {
	Name string // host name from the file header ("" when not recorded)
	ID   string // machine id from the header, else the boot id, else the first file name
	// MachineID is the header's machine id alone ("" when not recorded): the filter
	// field host.id.
	MachineID string
	Files     []File // in time order
	Index     int    // position in the list Open returns

	eng *state.Engine
}

// Label returns the name to show for the host: its name, else its id.
func (h *Host) Label() string {
	if h.Name != "" {
		return h.Name
	}
	return h.ID
}

// Is reports whether name (a --host value) names the host, by name or by id.
func (h *Host) Is(name string) bool { return h.Name == name || h.ID == name }

// Stats returns the capture statistics of the host: the files of one capture (one
// rotated set, same CaptureID) count from the capture's start, so the latest file of
// each capture counts for all of them; captures add up.
func (h *Host) Stats() format.Stats {
	latest := map[string]File{}
	var order []string
	for i, r := range h.Files {
		id := r.Header().CaptureID
		if id == "" {
			id = "file " + u64(uint64(i))
		}
		if latest[id] == nil {
			order = append(order, id)
		}
		latest[id] = r // Files are in time order
	}
	var s format.Stats
	for _, id := range order {
		addStats(&s, fileStats(latest[id]))
	}
	return s
}

// Count returns the number of events in the host's files (0 when a file does not
// say, as a .scap capture).
func (h *Host) Count() uint64 {
	var n uint64
	for _, r := range h.Files {
		c, _ := fileCount(r)
		n += c
	}
	return n
}

// Start returns the time of the host's first event.
func (h *Host) Start() int64 { return firstTime(h.Files[0]) }

// Engine returns the host's state engine as the last Run left it (nil before).
func (h *Host) Engine() *state.Engine { return h.eng }

func addStats(s *format.Stats, o format.Stats) {
	s.Seen += o.Seen
	s.Written += o.Written
	for _, c := range o.CPUs {
		i := slices.IndexFunc(s.CPUs, func(d format.CPUStats) bool { return d.CPU == c.CPU })
		if i < 0 {
			s.CPUs = append(s.CPUs, format.CPUStats{CPU: c.CPU})
			i = len(s.CPUs) - 1
		}
		d := &s.CPUs[i]
		d.Seen += c.Seen
		d.LostRing += c.LostRing
		d.LostQueue += c.LostQueue
		d.LostRead += c.LostRead
	}
}

// Open opens trace files and directories (every *.syscam file directly inside), and
// sysdig/Falco .scap captures, and groups them by host, hosts in order of their
// first event. On error, nothing stays open.
func Open(paths ...string) (hosts []*Host, err error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("open traces: no file given")
	}
	names, err := expand(paths)
	if err != nil {
		return nil, err
	}
	var readers []File
	defer func() {
		if err != nil {
			for _, r := range readers {
				r.Close()
			}
		}
	}()
	for _, name := range names {
		r, err := openFile(name)
		if err != nil {
			return nil, fmt.Errorf("open trace %s: %w", name, err)
		}
		readers = append(readers, r)
	}
	return Group(readers), nil
}

// expand replaces each directory by the trace files directly in it, sorted by name.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("open trace: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		found, err := filepath.Glob(filepath.Join(p, "*.syscam"))
		if err != nil {
			return nil, fmt.Errorf("list traces in %s: %w", p, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("open traces in %s: no *.syscam file", p)
		}
		slices.Sort(found)
		out = append(out, found...)
	}
	return format.DistinctFiles(out), nil
}

// Group groups open files by host: files with the same machine id (or, without one,
// the same host name) are one host. Within a host, files are in order of their first
// event; hosts are in order of their earliest event, then by label.
func Group(readers []File) []*Host {
	byKey := map[string]*Host{}
	var hosts []*Host
	for _, r := range readers {
		key, id := hostKey(r)
		h := byKey[key]
		if h == nil {
			hdr := r.Header()
			h = &Host{Name: hdr.Host.Hostname, ID: id, MachineID: hdr.Host.MachineID}
			byKey[key] = h
			hosts = append(hosts, h)
		}
		h.Files = append(h.Files, r)
	}
	for _, h := range hosts {
		slices.SortStableFunc(h.Files, func(a, b File) int { return cmp.Compare(firstTime(a), firstTime(b)) })
	}
	slices.SortStableFunc(hosts, func(a, b *Host) int {
		return cmp.Or(cmp.Compare(firstTime(a.Files[0]), firstTime(b.Files[0])), strings.Compare(a.Label(), b.Label()))
	})
	for i, h := range hosts {
		h.Index = i
	}
	return hosts
}

func hostKey(r File) (key, id string) {
	h := r.Header().Host
	switch {
	case h.MachineID != "":
		return "m:" + h.MachineID, h.MachineID
	case h.Hostname != "" && h.BootID != "":
		return "h:" + h.Hostname, h.BootID
	case h.Hostname != "":
		// A converted capture has a host name and no ids: the file name keeps
		// host_id non-empty, as docs/EXPORT.md promises.
		return "h:" + h.Hostname, r.Name()
	}
	return "f:" + r.Name(), r.Name()
}

// Close closes every file of every host.
func Close(hosts []*Host) error {
	var first error
	for _, h := range hosts {
		for _, r := range h.Files {
			if err := r.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
