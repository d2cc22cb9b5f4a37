package capture

import (
	"crypto/sha256"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"golang.org/x/sys/unix"
)

// writeExe writes an executable file and returns its path, hash and stat.
func writeExe(t *testing.T, dir, name string, content []byte) (string, [32]byte, syscall.Stat_t) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o755); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(p, &st); err != nil {
		t.Fatal(err)
	}
	return p, sha256.Sum256(content), st
}

func TestExeHasherHashesAFileByPathWhenThePidIsGone(t *testing.T) {
	p, want, st := writeExe(t, t.TempDir(), "tool", []byte("#!/bin/sh\necho hi\n"))
	h := NewExeHasher(ExeHasherConfig{})
	r := h.SumResult(0, p, st.Dev, st.Ino, st.Mtim.Nano())
	if !r.OK || r.Sum != want {
		t.Fatalf("SumResult = %x ok=%v err=%v, want %x", r.Sum, r.OK, r.Err, want)
	}
	if r.Key.Size != st.Size {
		t.Errorf("key size %d, want %d", r.Key.Size, st.Size)
	}
}

func TestExeHasherHashesTheRunningImageOfThisProcess(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	h := NewExeHasher(ExeHasherConfig{})
	sum, ok := h.Sum(int32(os.Getpid()), "", 0, 0, 0)
	if !ok || sum != sha256.Sum256(b) {
		t.Errorf("Sum of /proc/self/exe = %x ok=%v, want the hash of %s", sum, ok, exe)
	}
}

// TestExeHasherHashesADeletedExecutableThroughProc runs a copy of a binary, deletes
// it, and still gets its hash: what malware that removes itself leaves behind.
func TestExeHasherHashesADeletedExecutableThroughProc(t *testing.T) {
	src, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Skip("no /bin/sleep to run:", err)
	}
	p, want, st := writeExe(t, t.TempDir(), "sleeper", src)
	cmd := exec.Command(p, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitExec(t, cmd.Process.Pid, st.Ino)
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	h := NewExeHasher(ExeHasherConfig{})
	r := h.SumResult(int32(cmd.Process.Pid), p, st.Dev, st.Ino, st.Mtim.Nano())
	if !r.OK || r.Sum != want {
		t.Errorf("hash of the deleted running executable = %x ok=%v err=%v, want %x", r.Sum, r.OK, r.Err, want)
	}
}

// waitExec waits until process pid runs the file with inode ino.
func waitExec(t *testing.T, pid int, ino uint64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var st syscall.Stat_t
		if syscall.Stat(filepath.Join("/proc", strconv.Itoa(pid), "exe"), &st) == nil && st.Ino == ino {
			return
		}
	}
	t.Fatalf("process %d did not exec inode %d", pid, ino)
}

func TestExeHasherRefusesAFileThatIsNotTheOneExecuted(t *testing.T) {
	dir := t.TempDir()
	p, _, st := writeExe(t, dir, "tool", []byte("original"))
	for _, tc := range []struct {
		name     string
		dev, ino uint64
		mtime    int64
		wantErr  error
	}{
		{"another inode", st.Dev, st.Ino + 1, 0, ErrExeChanged},
		{"another device", st.Dev + 1, st.Ino, 0, ErrExeChanged},
		{"another mtime", st.Dev, st.Ino, st.Mtim.Nano() + 5e9, ErrExeChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := NewExeHasher(ExeHasherConfig{})
			r := h.SumResult(0, p, tc.dev, tc.ino, tc.mtime)
			if r.OK || !errors.Is(r.Err, tc.wantErr) {
				t.Errorf("SumResult = ok %v err %v, want %v", r.OK, r.Err, tc.wantErr)
			}
			if got := h.Stats().Changed; got != 1 {
				t.Errorf("Stats().Changed = %d, want 1", got)
			}
		})
	}
}

func TestExeHasherFallsBackToThePathWhenThePidRunsAnotherFile(t *testing.T) {
	p, want, st := writeExe(t, t.TempDir(), "tool", []byte("the file the event names"))
	h := NewExeHasher(ExeHasherConfig{})
	// This test process runs another file than p: as if the pid had been reused.
	r := h.SumResult(int32(os.Getpid()), p, st.Dev, st.Ino, 0)
	if !r.OK || r.Sum != want {
		t.Errorf("SumResult = %x ok=%v err=%v, want the hash of %s", r.Sum, r.OK, r.Err, p)
	}
}

func TestExeHasherAcceptsTheKernelEncodingOfTheDevice(t *testing.T) {
	p, want, st := writeExe(t, t.TempDir(), "tool", []byte("x"))
	kdev := uint64(unix.Major(st.Dev)<<20 | unix.Minor(st.Dev))
	sum, ok := NewExeHasher(ExeHasherConfig{}).Sum(0, p, kdev, st.Ino, st.Mtim.Nano())
	if !ok || sum != want {
		t.Errorf("Sum with the kernel's dev %#x (stat's %#x): ok=%v", kdev, st.Dev, ok)
	}
}

func TestExeHasherHashesEachFileVersionOnce(t *testing.T) {
	dir := t.TempDir()
	p, want1, st1 := writeExe(t, dir, "tool", []byte("version 1"))
	h := NewExeHasher(ExeHasherConfig{})
	var got []bool
	for range 3 {
		r := h.SumResult(0, p, st1.Dev, st1.Ino, 0)
		if r.Sum != want1 {
			t.Fatalf("hash %x, want %x", r.Sum, want1)
		}
		got = append(got, r.Cached)
	}
	// A new version: same inode, new size and mtime.
	later := time.Unix(0, st1.Mtim.Nano()).Add(time.Second)
	if err := os.WriteFile(p, []byte("version 2, longer"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, later, later)
	r := h.SumResult(0, p, 0, 0, 0)
	if r.Sum != sha256.Sum256([]byte("version 2, longer")) {
		t.Errorf("hash after rewrite = %x, want the new content's", r.Sum)
	}
	got = append(got, r.Cached)
	if diff := cmp.Diff([]bool{false, true, true, false}, got); diff != "" {
		t.Errorf("answers from the cache (-want +got):\n%s", diff)
	}
	st := h.Stats()
	if st.Hashed != 2 || st.Hits != 2 || st.Bytes != uint64(len("version 1")+len("version 2, longer")) {
		t.Errorf("stats = %+v, want 2 hashed, 2 hits", st)
	}
}

func TestExeHasherEvictsTheLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	h := NewExeHasher(ExeHasherConfig{CacheSize: 2})
	a, _, _ := writeExe(t, dir, "a", []byte("a"))
	b, _, _ := writeExe(t, dir, "b", []byte("b"))
	c, _, _ := writeExe(t, dir, "c", []byte("c"))
	var got []bool
	for _, p := range []string{a, b, a, c, b, a} {
		got = append(got, h.SumResult(0, p, 0, 0, 0).Cached)
	}
	// a b (a hit) c evicts b; b again (miss) evicts a; a (miss).
	if diff := cmp.Diff([]bool{false, false, true, false, false, false}, got); diff != "" {
		t.Errorf("cache hits over a b a c b a with room for 2 (-want +got):\n%s", diff)
	}
}

func TestExeHasherSkipsFilesOverTheSizeCap(t *testing.T) {
	p, _, _ := writeExe(t, t.TempDir(), "big", make([]byte, 100))
	h := NewExeHasher(ExeHasherConfig{MaxSize: 99})
	r := h.SumResult(0, p, 0, 0, 0)
	if r.OK || !errors.Is(r.Err, ErrExeTooBig) || h.Stats().TooBig != 1 {
		t.Errorf("SumResult of a 100-byte file with a 99-byte cap: ok=%v err=%v stats=%+v", r.OK, r.Err, h.Stats())
	}
}

func TestExeHasherRefusesWhatIsNotARegularFile(t *testing.T) {
	r := NewExeHasher(ExeHasherConfig{}).SumResult(0, "/dev/null", 0, 0, 0)
	if r.OK || !errors.Is(r.Err, ErrExeNotFile) {
		t.Errorf("SumResult(/dev/null): ok=%v err=%v, want ErrExeNotFile", r.OK, r.Err)
	}
}

func TestExeHasherAsyncGivesEachCallerTheSameHashOnce(t *testing.T) {
	content := make([]byte, 8<<20)
	for i := range content {
		content[i] = byte(i * 7)
	}
	p, want, _ := writeExe(t, t.TempDir(), "big", content)
	h := NewExeHasher(ExeHasherConfig{Workers: 2})
	var mu sync.Mutex
	var results []ExeSum
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		h.SumAsync(0, p, 0, 0, 0, func(r ExeSum) {
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
			wg.Done()
		})
	}
	syncSum, ok := h.Sum(0, p, 0, 0, 0)
	wg.Wait()
	h.Close()
	if !ok || syncSum != want {
		t.Errorf("Sum during async hashing: ok=%v", ok)
	}
	for i, r := range results {
		if !r.OK || r.Sum != want {
			t.Errorf("async result %d: ok=%v err=%v", i, r.OK, r.Err)
		}
	}
	if len(results) != 5 || h.Stats().Hashed != 1 {
		t.Errorf("%d async results, %d files hashed; want 5 results of 1 hash", len(results), h.Stats().Hashed)
	}
	var after ExeSum
	h.SumAsync(0, p, 0, 0, 0, func(r ExeSum) { after = r })
	if !errors.Is(after.Err, ErrExeStopped) {
		t.Errorf("SumAsync after Close: %v, want ErrExeStopped", after.Err)
	}
}

func TestExeHasherFillsTheSHA256OfAnExecEvent(t *testing.T) {
	p, want, st := writeExe(t, t.TempDir(), "tool", []byte("tool"))
	typ, _ := event.ByName("execve")
	e := &event.Event{Type: typ, PID: 1 << 30} // no such pid: found by path
	info := e.Info()
	e.SetString(info.ParamIndex("exepath"), p)
	e.SetInt(info.ParamIndex("exe_ino"), st.Ino)
	e.SetInt(info.ParamIndex("exe_dev"), st.Dev)
	e.SetInt(info.ParamIndex("exe_mtime"), uint64(st.Mtim.Nano()))
	e.SetBytes(info.ParamIndex("sha256"), nil, 0)
	h := newExeHasher()
	h.prefetch(e)
	h.fill(e)
	if got := e.Bytes(info.ParamIndex("sha256")); string(got) != string(want[:]) {
		t.Errorf("sha256 parameter = %x, want %x", got, want)
	}
	if st := h.Stats(); st.Hashed != 1 || st.Hits != 1 {
		t.Errorf("after prefetch and fill: %+v, want 1 file hashed and 1 hit", st)
	}
	h.Close()
}

func TestDevFromKernelMatchesTheEncodingOfStat(t *testing.T) {
	for _, d := range []struct{ major, minor uint32 }{{254, 0}, {8, 1}, {259, 3}, {0, 300}, {4095, 1048575}, {7, 256}} {
		kdev := d.major<<20 | d.minor
		if got, want := DevFromKernel(kdev), unix.Mkdev(d.major, d.minor); got != want {
			t.Errorf("DevFromKernel(%d:%d) = %#x, want %#x", d.major, d.minor, got, want)
		}
	}
}
