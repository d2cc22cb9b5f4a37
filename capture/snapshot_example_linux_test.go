package capture_test

import (
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/syscam/syscam/capture"
	"github.com/syscam/syscam/format"
)

// The recorder's start: the initial state of a trace, with cgroups remembered for the
// events to come and the executables of running processes hashed.
func ExampleSnapshotter() {
	boot, err := capture.BootTime()
	if err != nil {
		log.Fatal(err)
	}
	root, _ := capture.FindCgroup2Root("/proc")
	cgroups := capture.NewCgroupResolver(root)
	hasher := capture.NewExeHasher(capture.ExeHasherConfig{})
	defer hasher.Close()
	s := &capture.Snapshotter{BootTime: boot, Cgroups: cgroups, Hasher: hasher,
		Warn: func(err error) { fmt.Fprintln(os.Stderr, "snapshot:", err) }}
	at := time.Now().UnixNano()
	evs, err := s.Snapshot(at)
	if err != nil {
		log.Fatal(err)
	}
	w, err := format.Create("trace.syscam", format.Header{Host: format.Host{BootTime: boot}}, format.WriterOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	if err := w.WriteState(at, evs); err != nil {
		log.Fatal(err)
	}
	// Later, for an event from a cgroup not seen before:
	//	evs = cgroups.Announce(evs[:0], e.Time, cgroupID)
	st := s.Stats()
	fmt.Printf("%d processes, %d threads, %d fds\n", st.Processes, st.Threads, st.FDs)
}

// An exec event's executable, hashed off the event path: SumAsync opens it at once
// and hashes on a worker; Sum later waits for that hash or finds it cached.
func ExampleExeHasher() {
	h := capture.NewExeHasher(capture.ExeHasherConfig{})
	defer h.Close()
	exe, _ := os.Executable()
	st := mustStat(exe)
	h.SumAsync(int32(os.Getpid()), exe, st.dev, st.ino, st.mtime, nil)
	if sum, ok := h.Sum(int32(os.Getpid()), exe, st.dev, st.ino, st.mtime); ok {
		fmt.Printf("sha256 %x\n", sum)
	}
}

type fileID struct {
	dev, ino uint64
	mtime    int64
}

func mustStat(path string) fileID {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		panic(err)
	}
	return fileID{st.Dev, st.Ino, st.Mtim.Nano()}
}
