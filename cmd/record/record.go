package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/syscam/syscam/capture"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
)

func run(args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if p := os.Getenv("SYSCAM_CPUPROFILE"); p != "" {
		stop, err := startProfile(p)
		if err != nil {
			return err
		}
		defer stop()
	}
	s := &session{c: c, stderr: stderr}
	return s.record()
}

// session is one recording: the recorder, the trace writer and, with a command, the
// command's process.
type session struct {
	c       *config
	stderr  io.Writer
	rec     *capture.Recorder
	w       *format.Writer
	reserve *diskReserve
	cmd     *command
	began   time.Time
	full    atomic.Bool // stopped because the disk is nearly full
	sink    capture.Sink
	cp      *checkpointSink
	// signals is done at the first SIGINT or SIGTERM; stopSignals gives the next one
	// back its default action, which ends the process at once.
	signals     context.Context
	stopSignals context.CancelFunc
	writing     atomic.Bool // the trace file exists: a stop ends it with its footer
}

func (s *session) record() error {
	opts, err := s.c.captureOptions()
	if err != nil {
		return err
	}
	if err := checkWritable(s.c.output); err != nil {
		return err
	}
	if err := s.c.checkOutput(); err != nil {
		return err
	}
	if len(s.c.command) > 0 {
		// Before anything is loaded or created: a mistyped command must not cost a
		// BPF load and leave an empty trace behind.
		if _, err := exec.LookPath(s.c.command[0]); err != nil {
			return fmt.Errorf("command %s: %w", s.c.command[0], err)
		}
		// Go's os package probes pidfd support, once, by forking a child that exits at
		// once; the first process start does it. Once the programs are attached, every
		// child of the recorder is traced, and the probe showed up in each trace as a
		// nameless process. Finding our own process runs the probe now, before that.
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Release()
		}
	}
	s.warnings()
	// Loading and attaching the programs takes seconds on a busy host: a signal then
	// must still end the run with a word, not kill it silently.
	s.signals, s.stopSignals = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer s.stopSignals()
	finished := make(chan struct{})
	defer close(finished)
	go s.onSignal(finished)
	if s.rec, err = capture.New(opts); err != nil {
		return err
	}
	defer s.rec.Close()
	if s.signals.Err() != nil {
		fmt.Fprintln(s.stderr, "record: interrupted while loading the eBPF programs: nothing was recorded")
		return exitError(130)
	}
	if err := s.create(); err != nil {
		return err
	}
	s.writing.Store(true)
	if err := s.writeSnapshot(); err != nil {
		s.w.Close()
		return err
	}
	if len(s.c.command) > 0 {
		if s.cmd, err = startCommand(s.c.command); err != nil {
			// Nothing of the command was recorded: the trace would only mislead.
			s.w.Close()
			s.reserve.release()
			for _, f := range s.w.Files() {
				os.Remove(f)
			}
			return err
		}
	}
	runErr := s.capture()
	if s.cmd != nil && !s.cmd.exited() {
		fmt.Fprintf(s.stderr, "record: the recording stopped while %s (pid %d) still runs: what it does from now on is not recorded\n",
			s.c.command[0], s.cmd.c.Process.Pid)
	}
	closeErr := s.close(runErr)
	if runErr == nil && closeErr == nil && s.cmd != nil {
		return s.cmd.status()
	}
	return errors.Join(runErr, closeErr)
}

// warnings reports what the recorder cannot do before it starts.
func (s *session) warnings() {
	if mounted, err := capture.EnsureTracefs(); err != nil {
		fmt.Fprintf(s.stderr, "record: warning: %v (not needed for recording)\n", err)
	} else if mounted {
		fmt.Fprintln(s.stderr, "record: mounted tracefs at /sys/kernel/tracing")
	}
}

func (s *session) create() error {
	h, err := s.header()
	if err != nil {
		return err
	}
	wo, err := s.c.writerOptions()
	if err != nil {
		return err
	}
	if err := s.c.replaceOutput(); err != nil {
		return err
	}
	s.reserve = newDiskReserve(s.c.output)
	// A rotated set's later files need the state at their start: once the first file
	// is pruned (--rotate-count), nothing else would name the processes that ran
	// before them. That takes the same state engine as --checkpoint.
	if s.c.checkpoint > 0 || s.c.rotating() {
		s.cp = &checkpointSink{}
		wo.RotateState = func() (int64, []*event.Event) { return s.cp.rotateState() }
	}
	if s.w, err = format.Create(s.c.output, h, wo); err != nil {
		s.reserve.release()
		return fmt.Errorf("create trace %s: %w", s.c.output, err)
	}
	return nil
}

// writeSnapshot writes the /proc snapshot, taken after the programs were attached, as
// the trace's initial state. Events meanwhile wait in the ring buffer.
func (s *session) writeSnapshot() error {
	at := s.rec.Now()
	snap := &capture.Snapshotter{BootTime: s.rec.BootTime(), Env: s.c.env}
	snap.Warn = func(err error) {}
	evs, err := snap.Snapshot(at)
	if err != nil {
		return fmt.Errorf("snapshot /proc: %w", err)
	}
	if err := s.w.WriteState(at, evs); err != nil {
		return fmt.Errorf("write initial state: %w", err)
	}
	s.sink = s.w
	if s.cp != nil {
		*s.cp = *newCheckpointSink(s.w, s.c.checkpoint, evs)
		s.sink = s.cp
	}
	return nil
}

// capture runs the recorder until a signal, the duration, or the end of the recorded
// tree.
func (s *session) capture() error {
	ctx := s.signals
	if s.c.duration > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithTimeout(ctx, s.c.duration)
		defer c2()
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	if s.cmd != nil || len(s.c.pids) > 0 {
		go s.watchTree(ctx, stop)
	}
	go s.watchDisk(ctx)
	s.began = time.Now()
	st := startStatus(s)
	err := s.rec.Run(ctx, s.sink)
	st.stop()
	return err
}

// watchTree stops the capture once the followed process tree is gone (and the
// command, when there is one, has been reaped).
func (s *session) watchTree(ctx context.Context, stop context.CancelFunc) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s.cmd != nil && !s.cmd.exited() {
			continue
		}
		if n, err := s.rec.Traced(); err == nil && n == 0 {
			stop()
			return
		}
	}
}

// close ends the trace with the statistics in its footer. On a full disk it first
// frees the space reserved at start, so that the footer fits.
func (s *session) close(runErr error) error {
	st := s.rec.Stats()
	s.w.SetStats(formatStats(st, s.rec.Started(), s.rec.Now()))
	full := s.full.Load() || errors.Is(runErr, syscall.ENOSPC)
	if full {
		s.reserve.release()
	}
	err := s.w.Close()
	s.reserve.release()
	switch {
	case full && err == nil:
		return fmt.Errorf("disk full: recording stopped after %d events (%d read from the kernel were not written); %s was closed with its footer and is complete up to there",
			st.Written, st.Seen-min(st.Seen, st.Written), s.c.output)
	case full:
		return fmt.Errorf("disk full: recording stopped after %d events; %s has no footer but reads back to its last complete block: %w", st.Written, s.c.output, err)
	case err != nil:
		return fmt.Errorf("close trace %s: %w", s.c.output, err)
	}
	if !s.c.quiet {
		s.summary(st)
	}
	return nil
}

func formatStats(st capture.Stats, start, stop int64) format.Stats {
	fs := format.Stats{Seen: st.Seen, Written: st.Written, Start: start, Stop: stop}
	for i, c := range st.CPUs {
		fs.CPUs = append(fs.CPUs, format.CPUStats{CPU: i, Seen: c.Seen, LostRing: c.LostRing, LostRead: c.LostRead})
	}
	return fs
}

// onSignal announces a stop at the first signal and gives the next one its default
// action: writing out a large backlog can take a while, and a second Ctrl-C must then
// end the process at once (the trace still reads back to its last complete block).
func (s *session) onSignal(finished <-chan struct{}) {
	select {
	case <-finished:
		return
	case <-s.signals.Done():
	}
	s.stopSignals()
	if !s.c.quiet && s.writing.Load() {
		fmt.Fprintf(s.stderr, "\nrecord: stopping: writing the last blocks and the footer of %s (interrupt again to stop at once; the file then reads back to its last complete block)\n", s.c.output)
	}
}
