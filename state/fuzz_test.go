package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state/statetest"
)

// FuzzApply applies arbitrary event lines (statetest notation; lines that do not
// parse are skipped) and checkpoints and restores the result: whatever a hostile trace
// says, the engine must not panic or loop, and a checkpoint must load.
func FuzzApply(f *testing.F) {
	scripts, _ := filepath.Glob("testdata/script/*.txt")
	for _, s := range scripts {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("0 10 procinfo ppid=20 start_time=1\n0 20 procinfo ppid=10 start_time=1\n1 10 procexit\n2 20 procexit")
	f.Add("1 5 dup2 ret=2147483647 fd=0 newfd=2147483647\n2 5 close fd=-5\n3 -1 procfork child_tid=-1 child_pid=-7")
	f.Fuzz(func(t *testing.T, text string) {
		e := New(Config{Grace: 1e9})
		var ev event.Event
		for line := range strings.Lines(text) {
			if statetest.ParseLine(&ev, strings.TrimSpace(line)) != nil {
				continue
			}
			v := e.Apply(&ev)
			if v.Thread != nil {
				v.Ancestor(64)
				v.User()
				v.Container()
			}
		}
		r := New(Config{Grace: 1e9})
		r.Load(e.Checkpoint(nil))
		var b strings.Builder
		r.Dump(&b)
	})
}
