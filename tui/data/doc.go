// Package data is the TUI's access to a trace: events by position through a small
// block cache, and background jobs (the load replay, filtered scans, event detail,
// fd follow) that report to the UI through channels, one message per chunk, so that
// the UI never waits on the file.
//
// A Trace is safe for concurrent use: the UI reads events from it while jobs run.
// Jobs own their own iterators and state engines; what they send is never modified
// after it is sent.
package data
