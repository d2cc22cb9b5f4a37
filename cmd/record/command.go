package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
)

// command is the program `record -- CMD` runs. It is started after the programs are
// attached: the kernel adds every child of the recorder to the traced set in
// sched_process_fork, before the child runs, so nothing it does is missed.
type command struct {
	c    *exec.Cmd
	done atomic.Bool
	err  error
}

func startCommand(argv []string) (*command, error) {
	c := exec.Command(argv[0], argv[1:]...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	cmd := &command{c: c}
	go func() {
		cmd.err = c.Wait()
		cmd.done.Store(true)
	}()
	return cmd, nil
}

func (c *command) exited() bool { return c.done.Load() }

// status returns the command's exit status as record's: nil for 0, an exitError
// otherwise (128+N for a command killed by signal N, as shells report it).
func (c *command) status() error {
	if !c.exited() {
		return nil // recording stopped first; the command runs on
	}
	var ee *exec.ExitError
	if !errors.As(c.err, &ee) {
		return c.err
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return exitError(128 + int(ws.Signal()))
	}
	return exitError(ee.ExitCode())
}
