package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

const (
	// lowWater is the free space below which the recorder stops, so that the blocks in
	// flight (up to ~6 blocks of 4 MiB) and the footer still fit, with the reserve.
	lowWater      = 64 << 20
	diskCheckTick = 20 * time.Millisecond
)

// watchDisk stops the capture when the output's file system is nearly full, dropping
// the events not yet written (they are counted as seen, not written): a trace that
// ends with its footer is better evidence than one cut by ENOSPC.
func (s *session) watchDisk(ctx context.Context) {
	dir := filepath.Dir(s.c.output)
	t := time.NewTicker(diskCheckTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var st unix.Statfs_t
		if unix.Statfs(dir, &st) != nil {
			continue
		}
		if free := st.Bavail * uint64(st.Bsize); free < lowWater {
			s.full.Store(true)
			s.rec.Abort(fmt.Sprintf("disk nearly full: %d MiB left on %s", free>>20, dir))
			return
		}
	}
}
