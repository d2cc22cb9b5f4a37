package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/format/scap"
)

const convertUsage = `
Usage: inspect convert CAPTURE -o OUT.syscam [flags]

Converts a sysdig/Falco capture (.scap, plain or gzip, recognised by its content) into
a syscam trace: indexed, compressed, checksummed, with the capture's process, fd, user
and group lists as its initial state and its events in timestamp order. The scap enter
and exit events of a call become one event; PPM flags become Linux values; the
provenance of the result names the capture and its SHA-256.

Examples:
  inspect convert capture.scap -o capture.syscam
  inspect convert -f -level 4 falco.scap.gz -o falco.syscam
`

// runConvert implements "inspect convert".
func runConvert(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("convert", convertUsage, stdout)
	out := fs.String("o", "", "the syscam `file` to write (required)")
	level := fs.Int("level", 0, "zstd `level`, 1 (fastest) to 4 (smallest); 0: the writer's default")
	force := fs.Bool("f", false, "overwrite OUT if it exists")
	fs.BoolVar(force, "force", false, "the same as -f (the name export uses, where -f is the filter)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		fs.Usage()
		return exitError(2)
	}
	// The writer would clamp any other level silently, so a typo would produce a
	// file compressed differently from what was asked, with no word said.
	if *level != 0 && (*level < 1 || *level > 4) {
		return fmt.Errorf("convert: -level %d: want 1 to 4 (0: the writer's default)", *level)
	}
	if err := refuseOverwrite(*out, pos); err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	if !*force {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("convert: %s exists; use -f to overwrite it", *out)
		}
	}
	res, err := convertScap(pos[0], *out, format.WriterOptions{Level: *level})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d scap events → %d events and %d state records in %s\n",
		pos[0], res.Read, res.Written, res.State, *out)
	if len(res.Unmapped) > 0 {
		fmt.Fprintf(stdout, "not converted (no syscam counterpart): %s\n", res.unmappedText())
	}
	return nil
}

// parseInterspersed parses flags that may follow positional arguments
// ("convert in.scap -o out.syscam"), returning the positional ones.
func parseInterspersed(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// convertResult sums up a conversion.
type convertResult struct {
	Read, Written uint64
	State         int
	Unmapped      map[string]uint64
}

func (r convertResult) unmappedText() string {
	names := make([]string, 0, len(r.Unmapped))
	for n := range r.Unmapped {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, r.Unmapped[n])
	}
	return strings.Join(parts, ", ")
}

// convertScap writes the capture at in as the syscam trace out.
func convertScap(in, out string, opts format.WriterOptions) (res convertResult, err error) {
	sum, err := fileSHA256(in)
	if err != nil {
		return res, err
	}
	r, err := scap.Open(in)
	if err != nil {
		if errors.Is(err, scap.ErrNotScap) {
			return res, fmt.Errorf("convert %s: not a sysdig/Falco capture: %w", in, err)
		}
		return res, fmt.Errorf("convert %s: %w", in, err)
	}
	defer r.Close()
	h := r.Header()
	h.Provenance = append(h.Provenance, format.Provenance{Tool: "inspect convert", Action: "converted from scap",
		Source: in, SHA256: sum, Time: time.Now().UnixNano()})
	f, err := createPending(out)
	if err != nil {
		return res, fmt.Errorf("convert %s: %w", in, err)
	}
	defer func() {
		if err != nil {
			f.abort()
		} else if cerr := f.commit(); cerr != nil {
			err = fmt.Errorf("convert %s: %w", in, cerr)
		}
	}()
	w, err := format.NewWriter(f, h, opts)
	if err != nil {
		return res, fmt.Errorf("convert %s: write %s: %w", in, out, err)
	}
	res, err = copyScap(r, w)
	if cerr := w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("convert %s: close %s: %w", in, out, cerr)
	}
	return res, err
}

// copyScap writes the initial state and every event of r to w, in time order.
func copyScap(r *scap.Reader, w *format.Writer) (res convertResult, err error) {
	st, err := r.InitialState()
	if err != nil {
		return res, err
	}
	res.State = len(st)
	if err := w.WriteState(r.FirstTime(), st); err != nil {
		return res, fmt.Errorf("write initial state: %w", err)
	}
	it := r.Ordered(scap.Filter{})
	defer it.Close()
	var e event.Event
	var first, last int64
	for it.Next(&e) {
		if first == 0 {
			first = e.Time
		}
		last = e.Time
		if err := w.Write(&e); err != nil {
			return res, fmt.Errorf("write event %d: %w", e.Num, err)
		}
	}
	if err := it.Err(); err != nil {
		return res, fmt.Errorf("read %s: %w", r.Name(), err)
	}
	s := it.Stats()
	res.Read, res.Written, res.Unmapped = s.Events, s.Emitted, s.Unmapped()
	w.SetStats(format.Stats{Seen: s.Events, Written: s.Emitted, Start: first, Stop: last})
	return res, nil
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", fmt.Errorf("convert: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("convert: read %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
