// Package tui is inspect's interactive terminal UI (bubbletea v2): the process tree,
// one process's events, files, connections, children and environment, one event's
// every argument and field, the reassembled I/O of an fd, the rules' alerts and a
// histogram of activity whose selected range narrows every view, all under a filter
// typed in the filter language.
//
// Layout, as in bubbles and soft-serve:
//
//	common/      Common (size, styles, key map) embedded by every component and page,
//	             navigation messages, text helpers
//	keymap/      KeyMap and DefaultKeyMap; the help overlay lists its Groups
//	styles/      Styles and DefaultStyles(profile): 16-colour terminals get chosen ANSI colours
//	components/  list (virtualised), filterbar (validates as you type), histogram
//	pages/       tree, process, eventview, follow, alerts, timeline
//	data/        the trace: events by position, and the background jobs
//
// Nothing reads the file on the UI goroutine beyond the rows on screen. Opening reads
// the index and the initial state (the first screen); data.Load replays the events in
// a goroutine and reports every 150 ms through a channel that a tea.Cmd waits on,
// one report per Cmd; filters, time ranges and a process's event list run as
// data.Scan jobs the same way, each with a generation number so that a replaced job's
// late reports are dropped. Lists hold event positions (8 bytes a row), not rendered
// rows; the rows on screen, and a screen around them, are read through a bounded
// event cache, one pass over each block they fall in.
package tui
