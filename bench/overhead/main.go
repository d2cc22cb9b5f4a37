// Command overhead measures what recording costs: it runs syscall workloads bare and
// under `record -- ...` and reports the time added per syscall, the events per second,
// the drops, the recorder's CPU and the bytes per event on disk.
//
//	go build -o /tmp/record ./cmd/record
//	sudo go run ./bench/overhead -record /tmp/record -duration 5s -parallel 2
//
// -rate paces the workload (operations per second, all threads together), for the
// recorder's CPU at a given event rate rather than at whatever rate the host allows.
//
// -record takes several binaries, comma-separated (an old and a new build): each round
// runs the workload bare and then under each of them, so that they are compared in the
// same minute of a shared host's load; one row per binary.
//
// Workloads (each on -parallel threads, one per core):
//
//	getppid    the cheapest syscall
//	read       read(2) of 4 KiB from /dev/zero (payload cut at the snaplen)
//	openat     openat(/etc/hostname) + close: a path decoded per pair
//	close      close of an fd that is not open: openat minus close is the openat
//	forkexec   fork and exec /bin/true (every syscall of the child recorded too)
//	tcp        64-byte request/response over loopback TCP (write+read on each side)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/format"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		os.Exit(worker(os.Args[2:]))
	}
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "overhead:", err)
		os.Exit(1)
	}
}

type config struct {
	record    string
	duration  time.Duration
	parallel  int
	workloads string
	dir       string
	extra     string
	repeat    int
	rate      float64
}

func run(args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("overhead", flag.ContinueOnError)
	fs.StringVar(&c.record, "record", "", "path of the record binary (go build ./cmd/record)")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "how long each workload runs")
	fs.IntVar(&c.parallel, "parallel", 2, "threads per workload")
	fs.StringVar(&c.workloads, "workloads", "getppid,read,openat,forkexec,tcp", "comma-separated workloads")
	fs.StringVar(&c.dir, "dir", os.TempDir(), "where traces are written")
	fs.StringVar(&c.extra, "flags", "", "extra record flags, space-separated")
	fs.IntVar(&c.repeat, "repeat", 1, "runs of each workload, bare and recorded; the fastest of each is kept (a noisy host)")
	fs.Float64Var(&c.rate, "rate", 0, "operations per second to keep to, all threads together (0: as fast as they go); recorder CPU at a given event rate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.record == "" {
		return fmt.Errorf("pass -record PATH (go build -o /tmp/record ./cmd/record)")
	}
	recs := strings.Split(c.record, ",")
	fmt.Fprintf(stdout, "%-9s %5s %11s %11s %9s %10s %7s %9s %10s %8s  %s\n", "workload", "sc/op", "bare ns/op", "rec ns/op",
		"+ns/sc", "events/s", "drops", "rec CPU", "steady CPU", "B/event", "record")
	for _, w := range strings.Split(c.workloads, ",") {
		best := make([]result, len(recs))
		for i := 0; i < c.repeat; i++ {
			bare, err := measureBare(&c, w)
			if err != nil {
				return fmt.Errorf("workload %s: %w", w, err)
			}
			for j, rec := range recs {
				res, err := measure(&c, rec, w)
				if err != nil {
					return fmt.Errorf("workload %s under %s: %w", w, rec, err)
				}
				res.bare = bare
				best[j] = best[j].merge(res, i == 0)
			}
		}
		for j, rec := range recs {
			fmt.Fprintf(stdout, "%s  %s\n", best[j].row(), rec)
		}
	}
	return nil
}

// merge keeps the fastest bare and recorded times of repeated runs, the largest
// drop count, and the rest from the fastest recorded run.
func (r result) merge(o result, first bool) result {
	if first {
		return o
	}
	bare, drops := min(r.bare, o.bare), max(r.drops, o.drops)
	if o.recorded < r.recorded {
		r = o
	}
	r.bare, r.drops = bare, drops
	return r
}

// syscallsPerOp is how many syscalls one operation of a workload makes on its thread.
var syscallsPerOp = map[string]float64{"getppid": 1, "read": 1, "openat": 2, "close": 1, "forkexec": 1, "tcp": 4}

type result struct {
	name           string
	bare, recorded float64 // ns per operation per thread
	events, drops  uint64
	seconds, cpu   float64
	steady         float64 // share of a core, see steadyCPU
	size           int64
	perOpSyscalls  float64
}

func (r result) row() string {
	added := (r.recorded - r.bare) / r.perOpSyscalls
	return fmt.Sprintf("%-9s %5.0f %11.0f %11.0f %9.0f %9.3gM %7d %8.1f%% %9.1f%% %8.2f",
		r.name, r.perOpSyscalls, r.bare, r.recorded, added, float64(r.events)/r.seconds/1e6,
		r.drops, 100*r.cpu/r.seconds, 100*r.steady, float64(r.size)/float64(max(r.events, 1)))
}

// workerArgs are the arguments of this program that run workload name.
func (c *config) workerArgs(name string) []string {
	a := []string{"worker", name, c.duration.String(), strconv.Itoa(c.parallel)}
	if c.rate > 0 {
		a = append(a, strconv.FormatFloat(c.rate, 'f', -1, 64))
	}
	return a
}

// measureBare runs workload name without a recorder and returns its ns per operation.
func measureBare(c *config, name string) (float64, error) {
	self, _ := os.Executable()
	out, err := exec.Command(self, c.workerArgs(name)...).Output()
	if err != nil {
		return 0, fmt.Errorf("bare run: %w", err)
	}
	return parseNsPerOp(out, c.duration, c.parallel)
}

// measure runs workload name under the record binary rec. "rec CPU" is the recorder's
// whole CPU time over the trace's time span (start-up, snapshot and final flush
// included); "steady CPU" only while the workload runs (see steadyCPU).
func measure(c *config, rec, name string) (result, error) {
	res := result{name: name, perOpSyscalls: syscallsPerOp[name]}
	wargs := c.workerArgs(name)
	self, _ := os.Executable()
	trace := filepath.Join(c.dir, "overhead-"+name+".syscam")
	os.Remove(trace)
	args := append([]string{"-o", trace, "--quiet"}, strings.Fields(c.extra)...)
	cmd := exec.Command(rec, append(append(args, "--", self), wargs...)...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	steady := make(chan float64, 1)
	go func() { steady <- steadyCPU(cmd.Process.Pid, start, c.duration) }()
	res.cpu = cpuAtExit(cmd.Process.Pid)
	res.steady = <-steady
	if err := cmd.Wait(); err != nil {
		return res, fmt.Errorf("recorded run: %w", err)
	}
	res.seconds = time.Since(start).Seconds()
	var err error
	if res.recorded, err = parseNsPerOp(stdout.Bytes(), c.duration, c.parallel); err != nil {
		return res, err
	}
	r, err := format.Open(trace)
	if err != nil {
		return res, err
	}
	defer r.Close()
	res.events, res.drops, res.size = r.Count(), r.Stats().Dropped(), r.Size()
	first, last := r.TimeRange()
	if last > first {
		res.seconds = float64(last-first) / 1e9
	}
	os.Remove(trace)
	return res, nil
}

// cpuAtExit waits for pid to exit without reaping it and returns its own user+system
// CPU seconds from /proc/PID/stat (not its children's: the workload is one).
func cpuAtExit(pid int) float64 {
	var info unix.Siginfo
	unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
	return cpuNow(pid)
}

// steadyCPU returns the share of one core pid used from 2 s after start (when the
// recorder has loaded its programs, taken its /proc snapshot and started the
// workload) until start+d, when the workload still runs: the recorder's CPU at the
// workload's rate, without its start-up and its final flush. 0 when d is under 4 s.
func steadyCPU(pid int, start time.Time, d time.Duration) float64 {
	if d < 4*time.Second {
		return 0
	}
	time.Sleep(time.Until(start.Add(2 * time.Second)))
	c0, t0 := cpuNow(pid), time.Now()
	time.Sleep(time.Until(start.Add(d)))
	return (cpuNow(pid) - c0) / time.Since(t0).Seconds()
}

// cpuNow returns pid's own user+system CPU seconds so far.
func cpuNow(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ
}

// parseNsPerOp reads the worker's "ops N" line.
func parseNsPerOp(out []byte, d time.Duration, parallel int) (float64, error) {
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "ops "); ok {
			f := strings.Fields(v)
			ops, err1 := strconv.ParseFloat(f[0], 64)
			ns, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil || ops == 0 {
				break
			}
			return ns / (ops / float64(parallel)), nil
		}
	}
	return 0, fmt.Errorf("no result from worker in %q", out)
}
