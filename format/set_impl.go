package format

import (
	"container/heap"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func openSet(paths []string) (*Set, error) {
	names, err := expand(paths)
	if err != nil {
		return nil, err
	}
	var readers []*Reader
	for _, n := range names {
		r, err := Open(n)
		if err != nil {
			for _, o := range readers {
				o.Close()
			}
			return nil, fmt.Errorf("open trace set: %w", err)
		}
		readers = append(readers, r)
	}
	return newSet(readers), nil
}

// expand replaces each directory by the *.syscam files directly in it.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("open trace set: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("open trace set: %w", err)
		}
		n := len(out)
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".syscam") {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("open trace set: no .syscam file in directory %s", p)
		}
	}
	return DistinctFiles(out), nil
}

// newSet orders readers by the time of their first event (empty files first, by
// creation and part), and numbers events across them.
func newSet(readers []*Reader) *Set {
	rs := slices.Clone(readers)
	slices.SortStableFunc(rs, func(a, b *Reader) int {
		ka, kb := setKey(a), setKey(b)
		for i := range ka {
			if ka[i] != kb[i] {
				if ka[i] < kb[i] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	s := &Set{readers: rs}
	var base uint64
	for _, r := range rs {
		s.bases = append(s.bases, base)
		base += r.Count()
	}
	return s
}

func setKey(r *Reader) [3]int64 {
	first, _ := r.TimeRange()
	if r.Count() == 0 {
		first = r.hdr.Created
	}
	return [3]int64{first, r.hdr.Created, int64(r.hdr.Part)}
}

func (s *Set) stats() Stats {
	latest := map[string]Stats{}
	var order []string
	var total Stats
	for i, r := range s.readers {
		id := r.hdr.CaptureID
		if id == "" {
			id = "file " + itoa(int64(i))
		}
		if _, ok := latest[id]; !ok {
			order = append(order, id)
		}
		latest[id] = r.Stats() // cumulative: the latest part of a capture counts
	}
	for _, id := range order {
		total.add(latest[id])
	}
	return total
}

func (s *Set) stateBefore(t int64) (int64, []*event.Event, error) {
	var best *Reader
	var bestAt int64
	for _, r := range s.readers {
		for _, st := range r.States() {
			if (st.Time <= t || best == nil) && (best == nil || st.Time >= bestAt) {
				best, bestAt = r, st.Time
			}
		}
	}
	if best == nil {
		return 0, nil, nil
	}
	return best.StateBefore(t)
}

// merge returns an iterator merging the files' events by timestamp. Files whose time
// range misses the selection are not opened for reading at all.
func (s *Set) merge(sel Selection) Iterator {
	m := &merger{}
	for i, r := range s.readers {
		first, last := r.TimeRange()
		if r.Count() == 0 || last < sel.From || (sel.To != 0 && first >= sel.To) {
			continue
		}
		m.srcs = append(m.srcs, &mergeSrc{it: r.newIterator(sel), base: s.bases[i], idx: i})
	}
	return m
}

// merger is a k-way merge over per-file iterators: a heap keyed by (time, file
// order), so equal timestamps keep the order of the files.
type merger struct {
	srcs    []*mergeSrc
	h       mergeHeap
	started bool
	err     error
}

type mergeSrc struct {
	it   Iterator
	e    event.Event
	base uint64
	idx  int
}

type mergeHeap []*mergeSrc

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].e.Time != h[j].e.Time {
		return h[i].e.Time < h[j].e.Time
	}
	return h[i].idx < h[j].idx
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*mergeSrc)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (m *merger) Next(e *event.Event) bool {
	if m.err != nil {
		return false
	}
	if !m.started {
		m.started = true
		for _, s := range m.srcs {
			if m.pull(s) {
				m.h = append(m.h, s)
			}
		}
		heap.Init(&m.h)
	}
	if len(m.h) == 0 || m.err != nil {
		return false
	}
	s := m.h[0]
	e.CopyFrom(&s.e)
	e.Num += s.base
	if m.pull(s) {
		heap.Fix(&m.h, 0)
	} else {
		heap.Pop(&m.h)
	}
	return true
}

// pull advances s; false at its end or on error.
func (m *merger) pull(s *mergeSrc) bool {
	if s.it.Next(&s.e) {
		return true
	}
	if err := s.it.Err(); err != nil && m.err == nil {
		m.err = err
	}
	return false
}

func (m *merger) Err() error { return m.err }

func (m *merger) Close() error {
	for _, s := range m.srcs {
		s.it.Close()
	}
	return nil
}
