package format

// Stats are the capture statistics a recorder hands to Writer.SetStats; they are stored
// in the footer. Counters are cumulative since the capture started.
type Stats struct {
	Seen    uint64     `json:"seen"`    // events the kernel side produced
	Written uint64     `json:"written"` // events handed to the writer
	CPUs    []CPUStats `json:"cpus,omitempty"`
	// Start and Stop bound the capture, wall-clock ns (Stop is 0 while running).
	Start int64 `json:"start,omitempty"`
	Stop  int64 `json:"stop,omitempty"`
}

// CPUStats counts one CPU's events and losses, by where they were lost.
type CPUStats struct {
	CPU       int    `json:"cpu"`
	Seen      uint64 `json:"seen"`
	LostRing  uint64 `json:"lost_ring"`  // the kernel found the ring buffer full
	LostQueue uint64 `json:"lost_queue"` // the queue between reader and writer was full
	LostRead  uint64 `json:"lost_read"`  // a record could not be read or decoded
}

// Lost returns the CPU's losses from every source.
func (c CPUStats) Lost() uint64 { return c.LostRing + c.LostQueue + c.LostRead }

// Dropped returns the events lost on every CPU.
func (s Stats) Dropped() uint64 {
	var n uint64
	for _, c := range s.CPUs {
		n += c.Lost()
	}
	return n
}

// add accumulates o into s, CPU by CPU (used to sum the files of a set).
func (s *Stats) add(o Stats) {
	s.Seen += o.Seen
	s.Written += o.Written
	for _, c := range o.CPUs {
		i := 0
		for i < len(s.CPUs) && s.CPUs[i].CPU != c.CPU {
			i++
		}
		if i == len(s.CPUs) {
			s.CPUs = append(s.CPUs, CPUStats{CPU: c.CPU})
		}
		d := &s.CPUs[i]
		d.Seen += c.Seen
		d.LostRing += c.LostRing
		d.LostQueue += c.LostQueue
		d.LostRead += c.LostRead
	}
	if s.Start == 0 || (o.Start != 0 && o.Start < s.Start) {
		s.Start = o.Start
	}
	if o.Stop > s.Stop {
		s.Stop = o.Stop
	}
}

// Known reports whether s holds a recorder's counts at all. A file without a footer
// (the recorder killed) has none, nor has one written by a converter or a test: their
// zero drops mean "not counted", which readers must not show as "nothing lost".
func (s Stats) Known() bool { return s.Seen != 0 || s.Written != 0 || len(s.CPUs) != 0 }
