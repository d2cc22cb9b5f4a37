package data

import "strconv"

// Buckets is the resolution of activity histograms; views resample it to their width.
const Buckets = 1024

// Hist counts events per time bucket over [From, To].
type Hist struct {
	From, To int64
	Counts   []uint64
}

// NewHist returns an empty histogram over [from, to].
func NewHist(from, to int64) Hist {
	if to <= from {
		to = from + 1
	}
	return Hist{From: from, To: to, Counts: make([]uint64, Buckets)}
}

// Bucket returns the bucket of instant t, clamped to the histogram.
func (h *Hist) Bucket(t int64) int {
	if t <= h.From {
		return 0
	}
	i := int(float64(t-h.From) / float64(h.To-h.From+1) * Buckets)
	return min(i, Buckets-1)
}

// Time returns the instant bucket i starts at.
func (h *Hist) Time(i int) int64 {
	return h.From + int64(float64(i)/Buckets*float64(h.To-h.From+1))
}

// Add counts n events at t.
func (h *Hist) Add(t int64, n uint64) { h.Counts[h.Bucket(t)] += n }

// Clone returns a copy whose counts the caller may keep.
func (h *Hist) Clone() Hist {
	c := *h
	c.Counts = append([]uint64(nil), h.Counts...)
	return c
}

// IndexHist spreads each block's count evenly over the buckets it spans: the shape of
// the activity known from the index alone, before any block is read.
func IndexHist(t *Trace) Hist {
	h := NewHist(t.First, t.Last)
	for i := range t.readers {
		for _, b := range t.readers[i].Blocks() {
			lo, hi := h.Bucket(b.MinTime), h.Bucket(b.MaxTime)
			per := uint64(b.Count) / uint64(hi-lo+1)
			for j := lo; j <= hi; j++ {
				h.Counts[j] += per
			}
			h.Counts[lo] += uint64(b.Count) - per*uint64(hi-lo+1)
		}
	}
	return h
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
