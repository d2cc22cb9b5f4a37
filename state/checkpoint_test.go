package state

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state/statetest"
)

// workload generates a random but plausible stream in statetest notation: processes
// fork (threads sharing fds, processes with copies), exec, open, dup, close, connect,
// unshare and exit, and tids are reused.
type workload struct {
	rng   *rand.Rand
	now   float64
	live  []int32 // live tids
	pids  map[int32]int32
	next  int32
	lines []string
}

func newWorkload(seed uint64) *workload {
	w := &workload{rng: rand.New(rand.NewPCG(seed, 7)), pids: map[int32]int32{}, next: 100}
	w.emit("0 0 userinfo uid=1000 gid=1000 name=app home=/srv shell=/bin/sh")
	w.emit("0 1 procinfo ppid=0 comm=init exepath=/sbin/init argv=init cwd=/ start_time=0")
	w.emit("0 1 fdinfo fd=0 type=file flags=O_RDWR name=/dev/console")
	w.live, w.pids[1] = []int32{1}, 1
	return w
}

func (w *workload) emit(format string, args ...any) {
	w.lines = append(w.lines, fmt.Sprintf(format, args...))
}

// step appends one event at a time 1 to 20 ms after the previous one.
func (w *workload) step() {
	w.now += float64(1+w.rng.IntN(20)) / 1000
	tid := w.live[w.rng.IntN(len(w.live))]
	at := fmt.Sprintf("%.3f %d/%d", w.now, tid, w.pids[tid])
	fd := 3 + w.rng.IntN(8)
	switch r := w.rng.IntN(100); {
	case r < 8 && len(w.live) < 60:
		w.fork(at, tid)
	case r < 12 && tid != 1:
		w.exit(at, tid)
	case r < 16:
		tid = w.pids[tid] // the recorder reports an exec as the process's main thread
		at = fmt.Sprintf("%.3f %d/%d", w.now, tid, tid)
		w.execKills(tid)
		w.emit("%s execve filename=/usr/bin/job%d argv=\"job -n %d\" exepath=/usr/bin/job%d cwd=/srv comm=job%d ppid=1 uid=1000 gid=1000 euid=1000 egid=1000 loginuid=1000", at, r, fd, r, r)
	case r < 35:
		w.emit("%s openat ret=%d dirfd=AT_FDCWD name=data/%d.log flags=%s", at, fd, r, []string{"O_RDONLY", "O_WRONLY|O_CLOEXEC", "O_RDWR|O_APPEND"}[r%3])
	case r < 45:
		w.emit("%s close fd=%d", at, fd)
	case r < 50:
		w.emit("%s dup2 ret=%d fd=%d newfd=%d", at, fd, 3+w.rng.IntN(8), fd)
	case r < 55:
		w.emit("%s socket ret=%d domain=AF_INET type=SOCK_STREAM proto=0", at, fd)
	case r < 60:
		w.emit("%s connect ret=0 fd=%d addr=10.0.0.%d:443 local=10.0.9.1:%d remote=10.0.0.%d:443", at, fd, r, 40000+r, r)
	case r < 62:
		w.emit("%s unshare flags=CLONE_FILES", at)
	case r < 64:
		w.emit("%s chdir path=../%d", at, r)
	case r < 66:
		w.emit("%s setresuid ret=0 ruid=%d euid=%d suid=0", at, r, r)
	default:
		w.emit("%s read ret=10 fd=%d size=100", at, fd)
	}
}

func (w *workload) fork(at string, parent int32) {
	child := w.next
	w.next++
	if w.next > 180 {
		w.next = 100 // tids are reused
	}
	for _, t := range w.live {
		if t == child || w.pids[t] == child {
			return // the kernel reuses no id of a live thread or thread group
		}
	}
	pid := child
	flags := "0"
	if w.rng.IntN(3) == 0 {
		pid, flags = w.pids[parent], "THREAD|SHARE_FILES"
	}
	w.emit("%s procfork child_tid=%d child_pid=%d flags=%s comm=c%d", at, child, pid, flags, child)
	w.live = append(w.live, child)
	w.pids[child] = pid
}

// execKills forgets the other threads of pid: exec ends them.
func (w *workload) execKills(pid int32) {
	kept := w.live[:0]
	found := false
	for _, t := range w.live {
		if w.pids[t] != pid || t == pid {
			kept = append(kept, t)
			found = found || t == pid
		}
	}
	w.live = kept
	if !found {
		w.live = append(w.live, pid) // the exec'ing thread took the main thread's tid
	}
}

func (w *workload) exit(at string, tid int32) {
	w.emit("%s procexit status=%d", at, w.rng.IntN(3))
	for i, t := range w.live {
		if t == tid {
			w.live = append(w.live[:i], w.live[i+1:]...)
			break
		}
	}
}

func (w *workload) events(t *testing.T, n int) []*event.Event {
	for len(w.lines) < n {
		w.step()
	}
	evs, err := statetest.Parse(strings.Join(w.lines, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func dump(e *Engine) string {
	var b strings.Builder
	e.Dump(&b)
	return b.String()
}

// TestCheckpointRestoreEqualsReplayFromStart replays random workloads (8 seeds) once from the
// start, taking a checkpoint every 250 events (the recorder's job), and at every 97th
// event rebuilds the state from the nearest checkpoint before it plus the events since:
// both dumps must be equal. A short grace period makes exits leave memory during the
// run.
func TestCheckpointRestoreEqualsReplayFromStart(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			evs := newWorkload(seed).events(t, 6000)
			cfg := Config{Grace: 2e9}
			full := New(cfg)
			type checkpoint struct {
				next int // index of the first event after it
				evs  []*event.Event
			}
			var cps []checkpoint
			compared := 0
			for i, ev := range evs {
				full.Apply(ev)
				if i%250 == 249 && i+1 < len(evs) && evs[i+1].Time > full.Now() {
					cps = append(cps, checkpoint{i + 1, full.Checkpoint(nil)})
				}
				if i%97 != 96 || len(cps) == 0 {
					continue
				}
				cp := cps[len(cps)-1]
				restored := New(cfg)
				restored.Load(cp.evs)
				for _, ev := range evs[cp.next : i+1] {
					restored.Apply(ev)
				}
				if diff := cmp.Diff(dump(full), dump(restored)); diff != "" {
					t.Fatalf("after event %d (%s), from the checkpoint at event %d (-from start +from checkpoint):\n%s", i+1, ev, cp.next, diff)
				}
				compared++
			}
			if compared < 50 || full.Stats().Dropped == 0 || full.Stats().Reused == 0 {
				t.Fatalf("weak workload: %d instants compared, stats %+v", compared, full.Stats())
			}
		})
	}
}
