// Package report holds the logic of inspect's forensic reports: stats (top processes,
// files, connections, syscalls, errors, drops), timeline (security-relevant actions,
// deduplicated, in Timesketch's import columns), follow (the recorded bytes of one fd,
// connection or file, reassembled in order) and export (every event enriched with its
// process and fd, as JSON lines, CSV or Parquet). The CLI in cmd/inspect only parses
// flags and calls it.
//
// # Several hosts, one stream
//
// Open takes syscam traces, directories of them and sysdig/Falco .scap captures
// (recognised by content), and groups the files by host (the machine id of their
// headers, else the host name): the parts of a rotated set and several captures of one machine feed one
// state engine, while each host gets its own, since pids and fds mean nothing across
// machines. Run merges the events of every file into one time-ordered stream (a k-way
// merge on the event time, ties broken by host then file order, so output is
// deterministic) and applies each event to its host's engine before handing it on
// with its Host. For example, with web1 recording events at t=1,4 and db1 at t=2,3:
//
//	web1 t=1 ─┐
//	db1  t=2 ─┼─► t=1 web1, t=2 db1, t=3 db1, t=4 web1
//	db1  t=3 ─┤
//	web1 t=4 ─┘
//
// Event numbers (Num) count within a host: the position in its files taken in time
// order, as a rotated set numbers its events.
//
// # Time bounds and state
//
// Events before Options.From are still applied to the state (a process started before
// the window must keep its name), starting from the nearest checkpoint before From when
// the files have one; only events inside [From, To) that match the filter reach a
// report.
//
// # Memory and concurrency
//
// Memory follows the replayed state plus what a report keeps per process, file and
// connection, never the number of events. The Record handed to a callback, and the
// event and view it points to, are reused for the next event: copy what must be kept.
//
// Run replays on its own goroutine; the trace reader decompresses and decodes blocks
// in its worker goroutines ahead of it. A file starts reading only when the merge
// reaches the time of its first event, so a long rotated set has one or two files
// decoding at a time. (A second stage of decoding goroutines between the reader and
// the replay was tried and removed: with the reader's own workers it cost 35% more
// CPU per event and was slower in wall time; see BenchmarkReplayDirect.) Reports (Stats, Timeline, Follow, Exporter)
// are not safe for concurrent use.
package report
