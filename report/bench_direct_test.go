package report

import (
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/state"
)

// BenchmarkReplayDirect replays in one goroutine, reading the file without the
// prefetch goroutine of Run: the baseline that shows what the two-goroutine pipeline
// gains (or, on a machine without a free core, costs).
func BenchmarkReplayDirect(b *testing.B) {
	benchReport(b, func(hosts []*Host) error {
		eng := state.New(state.Config{})
		it := hosts[0].Files[0].Events(format.Selection{})
		defer it.Close()
		var e event.Event
		for it.Next(&e) {
			eng.Apply(&e)
		}
		return it.Err()
	})
}
