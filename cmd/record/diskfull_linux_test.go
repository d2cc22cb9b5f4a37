package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/format"
)

func TestRecordOnAFullDiskClosesTheFileWithItsFooter(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=128m"); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v", err)
	}
	defer unix.Unmount(dir, unix.MNT_DETACH)
	out := filepath.Join(dir, "full.syscam")
	t.Setenv("SYSCAM_TEST_CHILD", "urandom")
	err := run([]string{"-o", out, "--quiet", "--snaplen", "8192", "--duration", "20s", "--", os.Args[0]}, os.Stdout, os.Stderr)
	os.Unsetenv("SYSCAM_TEST_CHILD")
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("record on a full disk: %v, want a disk full error", err)
	}
	rep, verr := format.VerifyFile(out, format.VerifyOptions{})
	if verr != nil {
		t.Fatal(verr)
	}
	if !rep.OK() || !rep.Footer {
		t.Errorf("after a full disk: ok=%v footer=%v problem=%+v", rep.OK(), rep.Footer, rep.Problem)
	}
	if _, err := os.Stat(filepath.Join(dir, ".full.syscam.reserve")); !os.IsNotExist(err) {
		t.Errorf("the disk reserve was left behind: %v", err)
	}
}
