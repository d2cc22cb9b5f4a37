package state

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/state/statetest"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/script/*.txt")

// A script case is a command line, its input lines, "----" and the expected output,
// ended by a blank line (pebble's datadriven layout):
//
//	apply
//	1 100 openat ret=3 dirfd=AT_FDCWD name=/etc/passwd
//	----
//
//	fds pid=100
//	----
//	3 file /etc/passwd O_RDONLY
//
// Commands: engine [grace=DUR] [max-exited=N] (a new engine), apply (events, no
// output), view (events, one line per event's View), dump, fds pid=N,
// ancestors tid=N, checkpoint (restore a checkpoint into a new engine and diff its
// dump against this one's).
type scriptCase struct {
	line    int
	cmd     string
	args    map[string]string
	input   string
	want    string
	rawHead string
}

func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/script: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			runScript(t, file)
		})
	}
}

func runScript(t *testing.T, file string) {
	cases, err := readScript(file)
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{})
	var out strings.Builder
	for _, c := range cases {
		got, err := runCase(&e, c)
		if err != nil {
			t.Fatalf("%s:%d: %s: %v", file, c.line, c.cmd, err)
		}
		if *update {
			fmt.Fprintf(&out, "%s----\n%s\n", c.rawHead, got)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s:%d: %s (-want +got):\n%s", file, c.line, c.cmd, diff)
		}
	}
	if *update {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readScript(file string) ([]scriptCase, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var cases []scriptCase
	var c *scriptCase
	var comments strings.Builder
	inWant := false
	for n, line := range strings.Split(string(data), "\n") {
		switch {
		case c == nil && line == "":
		case c == nil && strings.HasPrefix(line, "#"):
			comments.WriteString(line + "\n")
		case c == nil:
			c = &scriptCase{line: n + 1, rawHead: comments.String() + line + "\n", args: map[string]string{}}
			comments.Reset()
			fields := strings.Fields(line)
			c.cmd = fields[0]
			for _, a := range fields[1:] {
				k, v, _ := strings.Cut(a, "=")
				c.args[k] = v
			}
		case !inWant && line == "----":
			inWant = true
		case !inWant:
			c.input += line + "\n"
			c.rawHead += line + "\n"
		case line == "":
			cases = append(cases, *c)
			c, inWant = nil, false
		default:
			c.want += line + "\n"
		}
	}
	if c != nil {
		if !inWant {
			return nil, fmt.Errorf("%s:%d: case without ----", file, c.line)
		}
		cases = append(cases, *c)
	}
	return cases, nil
}

func runCase(ep **Engine, c scriptCase) (string, error) {
	e := *ep
	switch c.cmd {
	case "engine":
		cfg := Config{}
		if g, ok := c.args["grace"]; ok {
			d, err := time.ParseDuration(g)
			if err != nil {
				return "", err
			}
			cfg.Grace = d
		}
		if m, ok := c.args["max-exited"]; ok {
			cfg.MaxExited, _ = strconv.Atoi(m)
		}
		*ep = New(cfg)
		return "", nil
	case "apply", "view":
		evs, err := statetest.Parse(c.input)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, ev := range evs {
			v := e.Apply(ev)
			if c.cmd == "view" {
				b.WriteString(viewLine(v) + "\n")
			}
		}
		return b.String(), nil
	case "dump":
		var b strings.Builder
		err := e.Dump(&b)
		return b.String(), err
	case "fds":
		return fdsOf(e, c.args["pid"])
	case "ancestors":
		return ancestors(e, c.args["tid"])
	case "checkpoint":
		return checkpointDiff(e), nil
	case "stats":
		s := e.Stats()
		return fmt.Sprintf("events=%d placeholders=%d reused=%d late=%d dropped=%d threads=%d processes=%d\n",
			s.Events, s.Placeholders, s.Reused, s.Late, s.Dropped, e.threads.n, len(e.procs)), nil
	}
	return "", fmt.Errorf("unknown command %q", c.cmd)
}

// viewLine renders what a filter would see of an event.
func viewLine(v *View) string {
	var b strings.Builder
	b.WriteString(v.Event.Name())
	if v.Thread == nil {
		return b.String() + " (no thread)"
	}
	fmt.Fprintf(&b, " tid=%d pid=%d comm=%s", v.Thread.TID, v.Process.PID, v.Thread.Comm)
	if p := v.Parent(); p != nil {
		fmt.Fprintf(&b, " parent=%d:%s", p.PID, p.Name())
	}
	if u := v.User(); u != nil {
		fmt.Fprintf(&b, " user=%s", u.Name)
	}
	if c := v.Container(); c != nil {
		fmt.Fprintf(&b, " container=%s/%s", c.Runtime, c.ShortID())
	}
	if v.FDNum >= 0 {
		fmt.Fprintf(&b, " fd=%d", v.FDNum)
		if v.FD != nil {
			fmt.Fprintf(&b, ":%s", v.FD)
		}
	}
	return b.String()
}

func fdsOf(e *Engine, pid string) (string, error) {
	n, err := strconv.Atoi(pid)
	if err != nil {
		return "", fmt.Errorf("fds needs pid=N: %w", err)
	}
	p := e.Process(int32(n))
	if p == nil {
		return "no process\n", nil
	}
	var b strings.Builder
	p.files.Range(func(num int32, f *FD) bool {
		fmt.Fprintf(&b, "%d %s\n", num, f)
		return true
	})
	return b.String(), nil
}

func ancestors(e *Engine, tid string) (string, error) {
	n, err := strconv.Atoi(tid)
	if err != nil {
		return "", fmt.Errorf("ancestors needs tid=N: %w", err)
	}
	t := e.Thread(int32(n))
	if t == nil {
		return "no thread\n", nil
	}
	var b strings.Builder
	for i := 0; ; i++ {
		a := t.Proc.Ancestor(i)
		if a == nil {
			break
		}
		fmt.Fprintf(&b, "%d %d %s\n", i, a.PID, a.Name())
	}
	return b.String(), nil
}

// checkpointDiff restores e's checkpoint into a new engine and returns "same" or the
// difference between the two dumps.
func checkpointDiff(e *Engine) string {
	r := New(e.cfg)
	r.Load(e.Checkpoint(nil))
	var a, b strings.Builder
	e.Dump(&a)
	r.Dump(&b)
	if d := cmp.Diff(a.String(), b.String()); d != "" {
		return "differs (-original +restored):\n" + d
	}
	return "same\n"
}
