package main

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

const reserveBytes = 8 << 20

// diskReserve holds disk space beside the trace so that, when the disk fills, freeing
// it leaves room for the last block and the footer.
type diskReserve struct {
	path string
}

func newDiskReserve(output string) *diskReserve {
	p := filepath.Join(filepath.Dir(output), "."+filepath.Base(output)+".reserve")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return &diskReserve{}
	}
	defer f.Close()
	if unix.Fallocate(int(f.Fd()), 0, 0, reserveBytes) != nil {
		os.Remove(p)
		return &diskReserve{}
	}
	return &diskReserve{path: p}
}

func (r *diskReserve) release() {
	if r != nil && r.path != "" {
		os.Remove(r.path)
		r.path = ""
	}
}
