package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/capture"
)

// status prints a one-line progress report on stderr every second when stderr is a
// terminal.
type status struct {
	s    *session
	done chan struct{}
	fin  chan struct{}
}

func startStatus(s *session) *status {
	st := &status{s: s, done: make(chan struct{}), fin: make(chan struct{})}
	f, ok := s.stderr.(*os.File)
	if s.c.quiet || !ok || !isTerminal(f) {
		close(st.fin)
		return st
	}
	go st.loop()
	return st
}

func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

func (st *status) stop() {
	select {
	case <-st.done:
	default:
		close(st.done)
	}
	<-st.fin
}

func (st *status) loop() {
	defer close(st.fin)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last uint64
	for {
		select {
		case <-st.done:
			fmt.Fprint(st.s.stderr, "\r\033[K")
			return
		case <-t.C:
		}
		live := st.s.rec.Live()
		w := live.Written.Load()
		size := filesSize(st.s.w.Files())
		fmt.Fprintf(st.s.stderr, "\r\033[K%s  %s ev/s  %.1f MB  %.1f B/event  drops %d",
			time.Since(st.s.began).Truncate(time.Second), human(float64(w-last)), float64(size)/1e6,
			perEvent(size, w), live.Lost.Load())
		last = w
	}
}

// filesSize sums the sizes of this run's files. Only the writer's own list: a glob on
// the base name also counted older sets of the same name (QA saw 1249 MB reported for
// a 267 KB run). Files pruned by --rotate-count are gone and count nothing.
func filesSize(names []string) int64 {
	var n int64
	for _, p := range names {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func perEvent(size int64, n uint64) float64 {
	if n == 0 {
		return 0
	}
	return float64(size) / float64(n)
}

func human(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// summary reports the recording once the file is closed.
func (s *session) summary(st capture.Stats) {
	el := time.Since(s.began)
	files := s.w.Files()
	size := filesSize(files)
	ring, read := st.Lost()
	to := s.c.output
	if len(files) == 1 {
		to = files[0]
	} else if len(files) > 1 {
		to = fmt.Sprintf("%d files %s … %s", len(files), filepath.Base(files[0]), filepath.Base(files[len(files)-1]))
	}
	fmt.Fprintf(s.stderr, "record: %d events in %s (%s/s) to %s: %.1f MB, %.2f B/event; lost: %d (ring %d, read %d)\n",
		st.Written, el.Truncate(time.Millisecond), human(float64(st.Written)/el.Seconds()), to,
		float64(size)/1e6, perEvent(size, st.Written), ring+read, ring, read)
	if st.Late > 0 {
		fmt.Fprintf(s.stderr, "record: %d events arrived later than the reorder window; their time was raised to keep the file in order\n", st.Late)
	}
}
