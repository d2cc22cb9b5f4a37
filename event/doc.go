// Package event is syscam's vocabulary: the Event a recorder captures and an analyzer
// reads, the table of event types (every x86_64 syscall, the process lifecycle, capture
// notices and state-snapshot records), and the kinds of parameter an event carries.
//
// It is the single source of truth for the decoder in capture, the schema written into
// every trace file by format, the state engine, the filter fields and docs/EVENTS.md.
//
// # Event model
//
// One Event per completed syscall, emitted at sys_exit with its arguments, its return
// value and, where the recorder kept the sys_enter timestamp, its latency. A call that
// had not returned when the capture ended is recorded at sys_enter and carries
// FlagEnter. The scheduler adds procfork and procexit; execve and execveat carry the new
// image (argv, exe, credentials) at their exit. Parameters are positional: the i-th
// Param of an event is described by the i-th ParamInfo of its type's Info.
//
// # Buffer ownership
//
// Every variable-length parameter (path, string, byte buffer, socket address, string
// list) lives in the Event's own buffer, so an Event is self-contained: Clone copies it,
// Reset empties it for reuse without freeing memory. A decoder that reuses one Event
// allocates nothing per event once the buffer has grown to the largest event seen.
// Slices returned by Bytes and String-like accessors are valid until the next Reset.
//
// # Concurrency
//
// The type table is immutable and safe for concurrent use. An Event is not: one
// goroutine fills or reads it at a time.
package event
