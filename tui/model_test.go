package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/tui/data"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// newLoaded returns the application over the fixture, sized w×h, with the load and
// the default rules run to the end.
func newLoaded(t *testing.T, w, h int) *Model {
	t.Helper()
	m := New(writeFixture(t), WithRules(defaultRules(t)), WithSize(w, h))
	t.Cleanup(m.Close)
	run(t, m, m.Init())
	return m
}

// TestModel drives the application with key sequences and compares the screens
// with the golden files testdata/TestModel/NAME_WxH.golden (go test -update
// rewrites them; read them before committing).
func TestModel(t *testing.T) {
	tests := []struct {
		name string
		keys []string
	}{
		{"the tree lists every process under its parent", nil},
		{"collapse all leaves the roots", []string{"C"}},
		{"expand all after collapse all shows every process again", []string{"C", "E"}},
		{"left folds the selected subtree", []string{"down", "down", "left"}},
		{"search highlights matches and moves to the first", []string{"/", "type:sh", "enter"}},
		{"sorting by events puts the busiest first", []string{"s", "s", "s"}},
		{"enter opens the process with its events", []string{"/", "type:curl", "enter", "enter"}},
		{"tab shows the files the process opened", []string{"/", "type:curl", "enter", "enter", "tab"}},
		{"two tabs show its connections", []string{"/", "type:curl", "enter", "enter", "tab", "tab"}},
		{"three tabs show its children", []string{"/", "type:sh /tmp", "enter", "enter", "tab", "tab", "tab"}},
		{"the environment tab says when it was not recorded", []string{"/", "type:curl", "enter", "enter", "shift+tab"}},
		{"enter on an event shows its arguments and buffer", []string{"/", "type:curl", "enter", "enter", "down", "down", "down", "enter"}},
		{"o on an event follows its fd", []string{"/", "type:curl", "enter", "enter", "down", "down", "down", "enter", "o"}},
		{"tab in fd follow switches to hex", []string{"/", "type:curl", "enter", "enter", "down", "down", "down", "enter", "o", "tab"}},
		{"esc goes back to the page before", []string{"/", "type:curl", "enter", "enter", "down", "enter", "esc"}},
		{"a lists the alerts", []string{"a"}},
		{"enter on an alert opens its event", []string{"a", "enter"}},
		{"esc from an alert's event lands on its process at the event", []string{"a", "enter", "esc"}},
		{"h shows the activity histogram", []string{"h"}},
		{"a range selected in the histogram narrows the tree", []string{"h", "end", "enter", "left", "left", "left", "enter", "t"}},
		{"the filter bar shows an error under its column while typing", []string{"f", "type:proc.nam = curl"}},
		{"the filter bar reports an incomplete condition", []string{"f", "type:evt.type = connect and"}},
		{"an applied filter narrows the tree to matching processes", []string{"f", "type:evt.type in (connect, execve) and proc.name != sh", "enter"}},
		{"an applied filter narrows the alerts", []string{"f", "type:proc.name = cat", "enter", "a"}},
		{"an applied filter narrows a process's events", []string{"f", "type:evt.type = write", "enter", "/", "type:curl", "enter", "enter"}},
		{"question mark shows the help overlay", []string{"?"}},
		{"any key closes the help overlay", []string{"?", "x"}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for i, tt := range tests {
			t.Run(fmt.Sprintf("%s at %dx%d", tt.name, size[0], size[1]), func(t *testing.T) {
				m := newLoaded(t, size[0], size[1])
				press(t, m, tt.keys...)
				got := screen(m)
				if again := screen(m); again != got {
					t.Fatalf("rendering twice differs (-first +second):\n%s", cmp.Diff(got, again))
				}
				golden(t, fmt.Sprintf("%02d_%dx%d.golden", i, size[0], size[1]), got)
			})
		}
	}
}

// golden compares got with testdata/TestModel/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "TestModel", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("screen differs from %s (-want +got):\n%s", path, diff)
	}
}

// TestACutTraceSaysSoUnderTheTitle: a file without its footer (the recorder was
// killed) reads up to its last complete block; the UI must not show it as whole.
func TestACutTraceSaysSoUnderTheTitle(t *testing.T) {
	whole := writeFixture(t)
	b, err := os.ReadFile(whole.Paths[0])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.syscam")
	if err := os.WriteFile(path, b[:len(b)-16], 0o644); err != nil { // into the footer
		t.Fatal(err)
	}
	tr, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	for _, size := range [][2]int{{80, 24}, {200, 30}} {
		m := New(tr, WithSize(size[0], size[1]))
		run(t, m, m.Init())
		lines := strings.Split(strings.TrimSuffix(screen(m), "\n"), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: screen has %d lines, want %d", size[0], size[1], len(lines), size[1])
		}
		want := fmt.Sprintf(" cut.syscam has no footer: %d bytes lost at its end, drop counts unknown", tr.Set.Readers()[0].Lost())
		if !strings.HasPrefix(lines[1], want) {
			t.Errorf("%dx%d: line 2 = %q, want it to start with %q", size[0], size[1], lines[1], want)
		}
		if size[0] == 200 && !strings.HasSuffix(lines[1], "(the recorder was killed or the file cut)") {
			t.Errorf("line 2 = %q, want the whole notice at width 200", lines[1])
		}
		// The page moves down one line, unchanged: the cut lost only footer bytes.
		mw := New(whole, WithSize(size[0], size[1]))
		run(t, mw, mw.Init())
		wl := strings.Split(screen(mw), "\n")
		if lines[2] != wl[1] {
			t.Errorf("%dx%d: line 3 = %q, want the page's first line %q", size[0], size[1], lines[2], wl[1])
		}
		mw.Close()
		m.Close()
	}
}
