package scap

// Stats counts what one pass over a capture read, mapped and left out.
type Stats struct {
	Sections int    // section header blocks
	Blocks   uint64 // blocks of every kind
	Events   uint64 // scap events decoded
	Emitted  uint64 // syscam events produced (selected or not)
	Paired   uint64 // exit events merged with their enter event
	// Orphans counts enter events whose exit never came (a blocking call still running
	// when the capture stopped, or a dropped exit): they are emitted with
	// event.FlagEnter.
	Orphans uint64
	// StateOnly counts EVF events flagged SCAP_DF_STATE_ONLY; they are emitted, as
	// they change the state a replay keeps.
	StateOnly uint64
	// UnknownIDs counts events with an id newer than this reader's table: skipped.
	UnknownIDs uint64
	// SkippedBlocks counts blocks of unknown types, by type: skipped.
	SkippedBlocks map[uint32]uint64
	// unmapped counts, per scap event id, events with no syscam counterpart: skipped.
	unmapped [len(evTable)]uint64
}

// Unmapped returns, by scap event name ("switch", "procinfo"), how many events had no
// syscam counterpart and were skipped.
func (s *Stats) Unmapped() map[string]uint64 {
	out := make(map[string]uint64)
	for id, n := range s.unmapped {
		if n > 0 {
			out[evTable[id].name] += n
		}
	}
	return out
}

func (s *Stats) skipBlock(t uint32) {
	if s.SkippedBlocks == nil {
		s.SkippedBlocks = make(map[uint32]uint64)
	}
	s.SkippedBlocks[t]++
}
