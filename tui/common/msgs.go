package common

import "github.com/syscam/syscam/tui/data"

// Navigation messages: a page asks the application to show another page.
type (
	// OpenProcMsg opens the process incarnation with data.Proc ID ID.
	OpenProcMsg struct{ ID int }
	// OpenEventMsg opens the event at position Num; Proc, when not -1, is its
	// process, opened beneath it so that going back lands there.
	OpenEventMsg struct {
		Num  uint64
		Proc int
	}
	// FollowMsg opens the reassembled I/O of an fd.
	FollowMsg struct{ Target data.Target }
)
