package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// handleReport is what the open_by_handle_at workload saw.
type handleReport struct {
	PID                int
	Dir, File          string // resolved paths
	MountFD, FD, CwdFD int
	HandleType         int32
	Handle             []byte
	Dev, Ino           uint64
	Stale              int64 // ret of the call with a forged handle
	MountID            int32
	Overflow           int64 // ret of name_to_handle_at with no room for the handle
}

// handleWorkload gets a handle of a file with name_to_handle_at, then opens it with
// open_by_handle_at through a directory fd, through AT_FDCWD, and fails with a forged
// handle; it reports what it met to $SYSCAM_REPORT. open_by_handle_at needs
// CAP_DAC_READ_SEARCH: the test runs as root.
func handleWorkload() int {
	dir, _ := filepath.EvalSymlinks(os.Getenv("SYSCAM_DIR"))
	r := handleReport{PID: os.Getpid(), Dir: dir, File: filepath.Join(dir, "handled.txt")}
	if err := os.WriteFile(r.File, []byte("by handle\n"), 0o600); err != nil {
		return 1
	}
	// struct file_handle { u32 handle_bytes; int handle_type; u8 f_handle[128]; }
	var fh [8 + 128]byte
	var mountID int32
	h, m := uintptr(unsafe.Pointer(&fh[0])), uintptr(unsafe.Pointer(&mountID))
	_, e := sys(unix.SYS_NAME_TO_HANDLE_AT, uintptr(unix.AT_FDCWD&0xffffffff), str(r.File), h, m, 0) // handle_bytes 0
	r.Overflow = -int64(e)
	binary.LittleEndian.PutUint32(fh[:], 128)
	if _, e := sys(unix.SYS_NAME_TO_HANDLE_AT, uintptr(unix.AT_FDCWD&0xffffffff), str(r.File), h, m, 0); e != 0 {
		fmt.Fprintln(os.Stderr, "name_to_handle_at:", e)
		return 1
	}
	n := binary.LittleEndian.Uint32(fh[:])
	r.HandleType = int32(binary.LittleEndian.Uint32(fh[4:]))
	r.Handle = append([]byte(nil), fh[8:8+n]...)
	r.MountID = mountID
	var err error
	if r.MountFD, err = unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0); err != nil {
		return 1
	}
	fd, e := sys(unix.SYS_OPEN_BY_HANDLE_AT, uintptr(r.MountFD), h, unix.O_RDONLY)
	if e != 0 {
		fmt.Fprintln(os.Stderr, "open_by_handle_at:", e)
		return 1
	}
	r.FD = int(fd)
	var st unix.Stat_t
	unix.Fstat(r.FD, &st)
	r.Dev, r.Ino = st.Dev, st.Ino
	unix.Fchdir(r.MountFD)
	fd, _ = sys(unix.SYS_OPEN_BY_HANDLE_AT, uintptr(unix.AT_FDCWD&0xffffffff), h, unix.O_RDONLY|unix.O_CLOEXEC)
	r.CwdFD = int(fd)
	for i := range n {
		fh[8+i] ^= 0xff // a handle of no file
	}
	_, e = sys(unix.SYS_OPEN_BY_HANDLE_AT, uintptr(r.MountFD), h, unix.O_RDONLY)
	r.Stale = -int64(e)
	if r.Overflow != -int64(unix.EOVERFLOW) {
		fmt.Fprintln(os.Stderr, "name_to_handle_at without room:", r.Overflow)
		return 1
	}
	for i := range n {
		fh[8+i] ^= 0xff
	}
	b, _ := json.Marshal(r)
	if os.WriteFile(os.Getenv("SYSCAM_REPORT"), b, 0o600) != nil {
		return 1
	}
	return 0
}

func TestRecordOpenByHandleAtNamesTheOpenedFileAndTheHandle(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	out, repPath := filepath.Join(dir, "handle.syscam"), filepath.Join(dir, "report.json")
	t.Setenv("SYSCAM_TEST_CHILD", "handle")
	t.Setenv("SYSCAM_DIR", dir)
	t.Setenv("SYSCAM_REPORT", repPath)
	if err := run([]string{"-o", out, "--quiet", "--", os.Args[0]}, os.Stderr, os.Stderr); err != nil {
		t.Fatalf("record: %v", err)
	}
	os.Unsetenv("SYSCAM_TEST_CHILD")
	var r handleReport
	b, err := os.ReadFile(repPath)
	if err != nil {
		t.Fatalf("workload report: %v", err)
	}
	json.Unmarshal(b, &r)
	if r.Stale >= 0 {
		t.Fatalf("open_by_handle_at of a forged handle returned %d, want an error", r.Stale)
	}
	p := r.PID
	forged := make([]byte, len(r.Handle))
	for i, c := range r.Handle {
		forged[i] = c ^ 0xff
	}
	want := []expectation{
		expect("name_to_handle_at", p, p, r.Overflow, "dirfd", unix.AT_FDCWD, "path", r.File, "flags", 0,
			"handle_type", 0, "handle", ""),
		expect("name_to_handle_at", p, p, 0, "dirfd", unix.AT_FDCWD, "path", r.File, "flags", 0,
			"handle_type", int(r.HandleType), "handle", r.Handle, "mount_id", int(r.MountID)),
		expect("open_by_handle_at", p, p, int64(r.FD), "mountfd", r.MountFD, "flags", unix.O_RDONLY,
			"path", r.File, "mountpath", r.Dir, "handle_type", int(r.HandleType), "handle", r.Handle,
			"dev", r.Dev, "ino", r.Ino),
		expect("fchdir", p, p, 0, "fd", r.MountFD),
		expect("open_by_handle_at", p, p, int64(r.CwdFD), "mountfd", unix.AT_FDCWD, "flags", unix.O_RDONLY|unix.O_CLOEXEC,
			"path", r.File, "mountpath", r.Dir, "handle_type", int(r.HandleType), "handle", r.Handle,
			"dev", r.Dev, "ino", r.Ino),
		expect("open_by_handle_at", p, p, r.Stale, "mountfd", r.MountFD, "flags", unix.O_RDONLY,
			"path", "", "mountpath", r.Dir, "handle_type", int(r.HandleType), "handle", forged, "dev", 0, "ino", 0),
	}
	evs, _ := readTrace(t, out)
	checkSubsequence(t, want, evs)
}
