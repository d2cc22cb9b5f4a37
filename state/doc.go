// Package state replays a trace: threads, processes, the process tree, fd tables,
// users, groups and containers as they stood at every event.
package state
