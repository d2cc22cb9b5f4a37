package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxScreen runs a program in a detached tmux session on a private server and reads
// its screen.
type tmuxScreen struct {
	t      *testing.T
	socket string
	stderr string // the program's standard error, shown when a step fails
}

func newTmux(t *testing.T, w, h int, argv ...string) *tmuxScreen {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	s := &tmuxScreen{t: t, socket: fmt.Sprintf("syscam-tui-%d-%d", os.Getpid(), time.Now().UnixNano()),
		stderr: filepath.Join(t.TempDir(), "stderr")}
	// The program's stderr goes to a file and the pane outlives it, so a failure
	// shows why the program ended (a panic, an error) instead of a vanished server.
	script := `"$0" "$@" 2>` + s.stderr + `; echo "[exited with status $?]"; sleep 600`
	args := append([]string{"new-session", "-d", "-s", "tui", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "--", "sh", "-c", script}, argv...)
	s.tmux(args...)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxScreen) tmux(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s%s", strings.Join(args, " "), err, out, s.programStderr())
	}
	return string(out)
}

// programStderr returns what the program wrote to stderr, for failure messages.
func (s *tmuxScreen) programStderr() string {
	b, err := os.ReadFile(s.stderr)
	if err != nil || len(b) == 0 {
		return ""
	}
	return "\nthe program's stderr:\n" + string(b)
}

func (s *tmuxScreen) screen() string { return s.tmux("capture-pane", "-p", "-t", "tui") }

// keys sends tmux key names ("Enter", "Escape", "Down").
func (s *tmuxScreen) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", "tui"}, keys...)...)
}

// typeText sends text as typed, character by character.
func (s *tmuxScreen) typeText(text string) { s.tmux("send-keys", "-t", "tui", "-l", text) }

// waitFor polls the screen until ok accepts it, and fails with the last screen
// after a timeout.
func (s *tmuxScreen) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		sc := s.screen()
		if ok(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s: the screen is\n%s%s", what, sc, s.programStderr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func contains(subs ...string) func(string) bool {
	return func(sc string) bool {
		for _, s := range subs {
			if !strings.Contains(sc, s) {
				return false
			}
		}
		return true
	}
}

// selectedLine returns the line under the list cursor (marked by the gutter).
func selectedLine(sc string) string {
	for _, l := range strings.Split(sc, "\n") {
		if strings.HasPrefix(l, "›") {
			return l
		}
	}
	return ""
}

// incidentTrace returns the shipped incident recording, or records one when the
// test runs as root, or skips.
func incidentTrace(t *testing.T) string {
	t.Helper()
	if p := filepath.Join("..", "..", "testdata", "incident.syscam"); fileExists(p) {
		return p
	}
	if os.Geteuid() != 0 {
		t.Skip("testdata/incident.syscam is not committed yet and recording one needs root")
	}
	out := filepath.Join(t.TempDir(), "incident.syscam")
	cmd := exec.Command("bash", "testdata/make-incident.sh", out)
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		t.Skipf("testdata/incident.syscam is not committed and recording one failed (BPF unavailable?): %v\n%s", err, stderr.String())
	}
	return out
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func buildInspect(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "inspect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build inspect: %v\n%s", err, out)
	}
	return bin
}

// TestTUIEndToEnd runs inspect's terminal UI under tmux on the incident recording.
func TestTUIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds inspect and runs it under tmux")
	}
	trace := incidentTrace(t)
	bin := buildInspect(t)
	t.Run("tree to process to event to fd follow, then a filter", func(t *testing.T) {
		drillDown(t, bin, trace)
	})
	t.Run("inspect FILE with no command opens the UI on a terminal", func(t *testing.T) {
		s := newTmux(t, 100, 30, bin, trace)
		s.waitFor("the process tree", contains("processes", "PID", "PROCESS"))
		s.keys("q")
	})
}

// drillDown goes from the process tree to curl, to its connect, to the bytes on that
// socket, then filters, checking the screen at each step.
func drillDown(t *testing.T, bin, trace string) {
	s := newTmux(t, 160, 48, bin, "tui", trace)

	s.waitFor("the loaded process tree", func(sc string) bool {
		return contains("processes", "PID", "alerts")(sc) && !strings.Contains(sc, "loading")
	})

	s.keys("/")
	s.typeText("curl -s")
	s.keys("Enter")
	s.waitFor("the search to select curl", func(sc string) bool { return strings.Contains(selectedLine(sc), "curl -s -o") })

	s.keys("Enter")
	s.waitFor("curl's process page with its events", contains("curl [", "argv curl -s -o", "Events (", "execve"))

	// Step down one row at a time, waiting for each move to show, to curl's connect
	// to the web server (port 8765).
	isConnect := func(l string) bool { return strings.Contains(l, " connect ") && strings.Contains(l, ":8765") }
	for i, line := 0, selectedLine(s.screen()); i < 600 && !isConnect(line); i++ {
		s.keys("Down")
		prev := line
		line = selectedLine(s.waitFor("the cursor to move", func(sc string) bool { return selectedLine(sc) != prev }))
	}
	if l := selectedLine(s.screen()); !isConnect(l) {
		t.Fatalf("no connect event in curl's events; the screen is\n%s", s.screen())
	}

	s.keys("Enter")
	s.waitFor("the connect event's detail", contains("Event #", "connect", "ARGUMENTS", "FIELDS", "press o to follow", "remote       127.0.0.1:8765", "evt.category             net"))

	s.keys("o")
	s.waitFor("the reassembled I/O of curl's socket", contains("fd follow", "connection 127.0.0.1:", "calls,", "out ", "GET /stage2.sh", "in ", "#!/bin/sh"))

	s.keys("t", "f")
	s.typeText("proc.nam = curl")
	s.waitFor("the filter bar's error under its column", contains("filter> proc.nam = curl", "^ 1:1: unknown field proc.nam"))
	s.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
	s.typeText("e = curl and evt.type = connect")
	s.keys("Enter")
	sc := s.waitFor("the tree narrowed to curl and its ancestors", func(sc string) bool {
		return contains("filter: proc.name = curl and evt.type = connect", "matching", "curl")(sc) && !strings.Contains(sc, "matching…")
	})
	if strings.Contains(sc, "cat /etc/shadow") || strings.Contains(sc, "python3") {
		t.Errorf("the filtered tree still lists processes without a matching event:\n%s", sc)
	}

	s.keys("q")
	s.waitFor("inspect to quit", func(sc string) bool { return !strings.Contains(sc, "syscam") })
}
