// Package process is the process detail page: what the process was (command line,
// user, times, exit) and tabs for its events, the files and connections it opened,
// its children and its environment. The events tab is a virtualised list over the
// positions a background scan finds; rows are read from the trace only when shown.
package process
