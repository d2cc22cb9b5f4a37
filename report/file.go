package report

import (
	"fmt"
	"os"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/format/scap"
)

// File is one input of a host: a syscam trace (*format.Reader) or a sysdig/Falco
// capture (*scap.Reader). What only some files know (event counts, time range from
// an index, capture statistics, checkpoints) is asked for with the helpers below.
type File interface {
	format.Source
	Name() string
}

type counter interface{ Count() uint64 }
type ranger interface{ TimeRange() (first, last int64) }
type statser interface{ Stats() format.Stats }
type checkpointer interface {
	States() []format.StateInfo
	StateBefore(t int64) (at int64, evs []*event.Event, err error)
}
type firstTimer interface{ FirstTime() int64 }

// openFile opens a syscam trace, or a .scap capture (plain or gzip) recognised by
// its content.
func openFile(name string) (File, error) {
	if isScap(name) {
		return scap.Open(name)
	}
	return format.Open(name)
}

func isScap(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular() && scap.Probe(f, st.Size())
}

// fileCount returns the events a file holds, and whether it knows.
func fileCount(f File) (uint64, bool) {
	if c, ok := f.(counter); ok {
		return c.Count(), true
	}
	return 0, false
}

// firstTime returns the time of a file's first event: from its index, else from the
// capture, else the file's creation time.
func firstTime(f File) int64 {
	if n, ok := fileCount(f); ok && n > 0 {
		if r, ok := f.(ranger); ok {
			first, _ := r.TimeRange()
			return first
		}
	}
	if ft, ok := f.(firstTimer); ok && ft.FirstTime() != 0 {
		return ft.FirstTime()
	}
	return f.Header().Created
}

// skippable reports whether a file's index shows it has nothing in sel.
func skippable(f File, sel format.Selection) bool {
	n, known := fileCount(f)
	if known && n == 0 {
		return true
	}
	r, ok := f.(ranger)
	if !ok || !known {
		return sel.To != 0 && firstTime(f) >= sel.To
	}
	first, last := r.TimeRange()
	return (sel.From != 0 && last < sel.From) || (sel.To != 0 && first >= sel.To)
}

func fileStats(f File) format.Stats {
	if s, ok := f.(statser); ok {
		return s.Stats()
	}
	return format.Stats{}
}

// checkpointOf returns the latest checkpoint at or before t in f, if f has any.
func checkpointOf(f File, t int64) (int64, []*event.Event, error) {
	c, ok := f.(checkpointer)
	if !ok || len(c.States()) == 0 {
		return 0, nil, nil
	}
	at, evs, err := c.StateBefore(t)
	if err != nil {
		return 0, nil, fmt.Errorf("read checkpoint of %s: %w", f.Name(), err)
	}
	return at, evs, nil
}
