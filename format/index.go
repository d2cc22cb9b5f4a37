package format

import "github.com/syscam/syscam/event"

// BlockInfo is the footer's index entry for one block of events.
type BlockInfo struct {
	Seq     int          `json:"seq"`    // frame sequence number in the file, from 0
	Offset  int64        `json:"offset"` // byte offset of the frame
	Size    int64        `json:"size"`   // frame size on disk, header included
	Count   uint32       `json:"count"`  // events
	MinTime int64        `json:"min_time"`
	MaxTime int64        `json:"max_time"`
	Types   []event.Type `json:"types,omitempty"` // the event types present; nil: unknown (recovered file)
	MinTID  int32        `json:"min_tid"`
	MaxTID  int32        `json:"max_tid"`
	// First is the position in the file of the block's first event, from 1.
	First uint64 `json:"first"`
}

// StateInfo is the footer's index entry for one state section.
type StateInfo struct {
	Seq    int    `json:"seq"`
	Offset int64  `json:"offset"`
	Size   int64  `json:"size"`
	Count  uint32 `json:"count"`
	Time   int64  `json:"time"` // the instant the snapshot describes
}

// mayHold reports whether the block can hold an event the selection wants: the index
// lets the reader skip blocks without decompressing them.
func (b *BlockInfo) mayHold(s *compiledSelection) bool {
	if b.MaxTime < s.from || (s.to != 0 && b.MinTime >= s.to) {
		return false
	}
	if s.types != nil && b.Types != nil {
		any := false
		for _, t := range b.Types {
			if s.types.has(t) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	if s.tids != nil && b.Count > 0 && !s.tidInRange(b.MinTID, b.MaxTID) {
		return false
	}
	return true
}
