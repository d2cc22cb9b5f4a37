package main

import (
	"fmt"
	"io"

	"github.com/syscam/syscam/report"
)

// recoverable is a trace file that may have been read without its footer.
type recoverable interface {
	Name() string
	Recovered() bool
	Lost() int64
}

// warnRecovered says, once per file, that a file had no footer: its events end at
// its last complete block and its capture statistics are gone. Every command reads
// such a file (that is the point of recovery), but a responder must not take what
// it prints for the whole recording.
func warnRecovered[F any](stderr io.Writer, files []F) {
	for _, f := range files {
		r, ok := any(f).(recoverable)
		if !ok || !r.Recovered() {
			continue
		}
		fmt.Fprintf(stderr, "inspect: warning: %s has no footer (the recorder was killed, or the file was cut): "+
			"read up to its last complete block, %d bytes after it lost; its drop counts are unknown\n", r.Name(), r.Lost())
	}
}

// warnRecoveredHosts is warnRecovered for the files of every host.
func warnRecoveredHosts(stderr io.Writer, hosts []*report.Host) {
	for _, h := range hosts {
		warnRecovered(stderr, h.Files)
	}
}
