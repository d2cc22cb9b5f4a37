package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

const infoHelp = `
inspect info prints what a trace holds: its header (host, kernel, recorder, command
line, filters), time range and duration, events by type, drops, blocks, size on disk
and bytes per event. Several files, a directory or a rotated set are summed as one
timeline. A file without footer (its recorder was killed) is read to its last
complete block; the bytes lost are shown, and its drops are "unknown" (drops_known
false in --json), since the recorder's counts were in the footer.

Usage:
  inspect info [--json] FILE...

Examples:
  inspect info trace.syscam
  inspect info --json /evidence/host1/ | jq .event_types
`

func runInfo(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("info", infoHelp, stdout)
	asJSON := fs.Bool("json", false, "print one JSON object for machines")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return errors.New("info: no trace file given")
	}
	if c := capturesAmong(files); c != "" {
		return fmt.Errorf("info: %s: no trace index to summarise: %s", c, captureAdvice)
	}
	set, err := format.OpenSet(files...)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	defer set.Close()
	sum, err := summarize(set)
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}
	return sum.print(stdout)
}

// traceSummary is what info reports; its JSON form is the --json output.
type traceSummary struct {
	Files         []fileSummary     `json:"files"`
	Host          format.Host       `json:"host"`
	Recorder      string            `json:"recorder,omitempty"`
	CommandLine   []string          `json:"command_line,omitempty"`
	Filters       string            `json:"filters,omitempty"`
	Snaplen       uint32            `json:"snaplen,omitempty"`
	Events        uint64            `json:"events"`
	EventTypes    map[string]uint64 `json:"event_types"`
	Dropped       uint64            `json:"dropped"`
	DropsKnown    bool              `json:"drops_known"` // false: no capture statistics, dropped means nothing
	Seen          uint64            `json:"seen"`
	Written       uint64            `json:"written"`
	Blocks        int               `json:"blocks"`
	StateSections int               `json:"state_sections"`
	SizeBytes     int64             `json:"size_bytes"`
	BytesPerEvent float64           `json:"bytes_per_event"`
	Start         string            `json:"start,omitempty"`
	End           string            `json:"end,omitempty"`
	DurationNS    int64             `json:"duration_ns"`
	BytesLost     int64             `json:"bytes_lost"`
}

type fileSummary struct {
	Name      string `json:"name"`
	Version   uint16 `json:"version"`
	Events    uint64 `json:"events"`
	SizeBytes int64  `json:"size_bytes"`
	Recovered bool   `json:"recovered"`
	BytesLost int64  `json:"bytes_lost"`
	// TrailingBytes follow the trailer: appended after the recorder closed the file.
	TrailingBytes int64 `json:"trailing_bytes,omitempty"`
	Signed        bool  `json:"signed"`
	// Host is the file's own host: files of several machines can be read together.
	Host format.Host `json:"host"`
}

func summarize(set *format.Set) (*traceSummary, error) {
	h := set.Header()
	st := set.Stats()
	s := &traceSummary{Host: h.Host, Recorder: h.Recorder, CommandLine: h.CommandLine, Filters: h.Filters,
		Snaplen: h.Snaplen, EventTypes: map[string]uint64{}, Dropped: st.Dropped(), DropsKnown: st.Known(), Seen: st.Seen, Written: st.Written}
	var first, last int64
	for i, r := range set.Readers() {
		if err := s.addFile(r); err != nil {
			return nil, err
		}
		f, l := r.TimeRange()
		if r.Count() > 0 && (i == 0 || first == 0 || f < first) {
			first = f
		}
		last = max(last, l)
	}
	if s.Events > 0 {
		s.Start, s.End = rfc3339(first), rfc3339(last)
		s.DurationNS = last - first
		s.BytesPerEvent = float64(s.SizeBytes) / float64(s.Events)
	}
	return s, nil
}

func (s *traceSummary) addFile(r *format.Reader) error {
	counts, err := r.TypeCounts()
	if err != nil {
		return fmt.Errorf("count events of %s: %w", r.Name(), err)
	}
	for t, n := range counts {
		s.EventTypes[event.Lookup(t).Name] += n
	}
	s.Events += r.Count()
	s.Blocks += len(r.Blocks())
	s.StateSections += len(r.States())
	s.SizeBytes += r.Size()
	s.BytesLost += r.Lost()
	s.Files = append(s.Files, fileSummary{Name: r.Name(), Version: r.Header().Version, Events: r.Count(),
		SizeBytes: r.Size(), Recovered: r.Recovered(), BytesLost: r.Lost(), TrailingBytes: r.Trailing(), Signed: r.Signed(), Host: r.Header().Host})
	return nil
}

func rfc3339(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

func (s *traceSummary) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, args...)...) }
	hosts := s.hosts()
	for _, f := range s.Files {
		note := ""
		if f.Recovered {
			note = fmt.Sprintf(", no footer: recovered, %d bytes lost at the end", f.BytesLost)
		}
		if f.TrailingBytes > 0 {
			note += fmt.Sprintf(", %d bytes of trailing data at offset %d, after the trailer", f.TrailingBytes, f.SizeBytes-f.TrailingBytes)
		}
		if f.Signed {
			note += ", signed"
		}
		if len(hosts) > 1 {
			note += ", host " + f.Host.Hostname
		}
		row("file", "%s (format %d, %d events, %s%s)", f.Name, f.Version, f.Events, sizeText(f.SizeBytes), note)
	}
	if len(hosts) > 1 {
		for _, h := range hosts {
			row("host", "%s, machine id %s", hostText(h), h.MachineID)
		}
	} else {
		row("host", "%s", hostText(s.Host))
		row("machine id", "%s, boot id %s", s.Host.MachineID, s.Host.BootID)
	}
	row("recorder", "%s", s.Recorder)
	row("command", "%s", strings.Join(s.CommandLine, " "))
	row("filters", "%s", s.Filters)
	row("snaplen", "%d", s.Snaplen)
	row("start", "%s", s.Start)
	row("end", "%s", s.End)
	row("duration", "%s", time.Duration(s.DurationNS))
	row("events", "%d", s.Events)
	if s.DropsKnown {
		row("dropped", "%d (seen %d, written %d)", s.Dropped, s.Seen, s.Written)
	} else {
		row("dropped", "unknown: no capture statistics (no footer, or not written by the recorder)")
	}
	row("blocks", "%d, %d state sections", s.Blocks, s.StateSections)
	row("size", "%s, %.2f bytes/event", sizeText(s.SizeBytes), s.BytesPerEvent)
	tw.Flush()
	fmt.Fprintln(w, "\nevents by type:")
	return printTypeCounts(w, s.EventTypes, s.Events)
}

// hosts lists the distinct machines of the files (by machine id and host name), in
// file order.
func (s *traceSummary) hosts() []format.Host {
	var out []format.Host
	seen := map[[2]string]bool{}
	for _, f := range s.Files {
		k := [2]string{f.Host.MachineID, f.Host.Hostname}
		if !seen[k] {
			seen[k] = true
			out = append(out, f.Host)
		}
	}
	return out
}

func hostText(h format.Host) string {
	parts := []string{h.Hostname}
	if h.KernelRelease != "" {
		parts = append(parts, "kernel "+h.KernelRelease)
	}
	if h.Arch != "" {
		parts = append(parts, h.Arch)
	}
	if h.NumCPU > 0 {
		parts = append(parts, fmt.Sprintf("%d CPUs", h.NumCPU))
	}
	return strings.Join(parts, ", ")
}

func printTypeCounts(w io.Writer, counts map[string]uint64, total uint64) error {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "  %-20s %12d %6.1f%%\n", n, counts[n], 100*float64(counts[n])/float64(max(total, 1))); err != nil {
			return err
		}
	}
	return nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
