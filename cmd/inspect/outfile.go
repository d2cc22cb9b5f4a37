package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// refuseOverwrite returns an error when out names the same file as one of inputs
// (directly, through a symlink or as a hard link): opening it for writing would
// truncate the evidence before it is read. Paths that do not exist cannot collide;
// the command reports them itself when it opens them.
func refuseOverwrite(out string, inputs []string) error {
	ost, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		ist, err := os.Stat(in)
		if err == nil && os.SameFile(ost, ist) {
			return fmt.Errorf("output %s is the input %s; refusing to overwrite it", out, in)
		}
	}
	return nil
}

// pendingFile is an output written under a temporary name next to its destination
// and renamed into place only by commit: a run that fails half way must not leave a
// file that looks complete (a truncated trace verifies as intact, a truncated export
// loads as a smaller data set).
type pendingFile struct {
	*os.File
	dest   string // where commit puts the file
	direct bool   // an existing device or pipe, written in place: nothing to rename
	done   bool
}

// createPending starts the output out. An existing device or pipe (/dev/stdout) is
// written directly: renaming over it would replace the device node.
func createPending(out string) (*pendingFile, error) {
	dest := out
	if st, err := os.Stat(out); err == nil {
		switch {
		case st.IsDir():
			return nil, fmt.Errorf("output %s is a directory", out)
		case !st.Mode().IsRegular():
			f, err := os.OpenFile(out, os.O_WRONLY, 0)
			if err != nil {
				return nil, err
			}
			return &pendingFile{File: f, dest: out, direct: true}, nil
		}
		// Renaming onto a symlink would replace the link; opening it wrote where it
		// points, so keep doing that.
		if dest, err = filepath.EvalSymlinks(out); err != nil {
			return nil, err
		}
	}
	// The same directory keeps the rename atomic; the leading dot and the suffix keep
	// the partial file out of directory listings and *.syscam globs. CreateTemp makes
	// it 0600: it holds what the input holds.
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("create output for %s: %w", out, err)
	}
	return &pendingFile{File: f, dest: dest}, nil
}

// commit syncs and closes the file and renames it to its destination. On failure
// the temporary file is removed.
func (p *pendingFile) commit() error {
	if p.done {
		return nil
	}
	p.done = true
	if p.direct {
		return p.Close()
	}
	err := p.Sync()
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.Name(), p.dest)
	}
	if err != nil {
		os.Remove(p.Name())
		return fmt.Errorf("write %s: %w", p.dest, err)
	}
	return nil
}

// abort closes the file and removes it, unless commit came first.
func (p *pendingFile) abort() {
	if p.done {
		return
	}
	p.done = true
	p.Close()
	if !p.direct {
		os.Remove(p.Name())
	}
}
