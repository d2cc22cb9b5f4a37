package format

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/internal/synth"
)

// randomEvents returns n events in timestamp order covering every parameter kind, edge
// values (0, -1, extremes), long and empty strings, empty and missing parameters, and
// types outside the table.
func randomEvents(seed uint64, n int) []*event.Event {
	rng := rand.New(rand.NewPCG(seed, 1))
	all := event.All()
	t := int64(1795759200e9) + rng.Int64N(1e9)
	evs := make([]*event.Event, 0, n)
	for range n {
		e := &event.Event{}
		t += rng.Int64N(5000) * int64(rng.IntN(2)) // equal timestamps happen
		e.Time = t
		e.TID, e.PID = pick(rng, []int32{1, 0, -1, math.MaxInt32, math.MinInt32, 4242}), int32(rng.IntN(400))
		e.CPU = uint16(rng.IntN(300))
		e.Ret = pick(rng, []int64{0, -1, -4095, math.MaxInt64, math.MinInt64, rng.Int64()})
		e.Latency = pick(rng, []int64{0, 1, -5, rng.Int64N(1e9)})
		e.Flags = uint8(rng.IntN(4))
		if rng.IntN(50) == 0 {
			e.Type = event.Type(2000 + rng.IntN(60000)) // unknown to the table
		} else {
			e.Type = all[rng.IntN(len(all))].Type
		}
		fillParams(rng, e)
		evs = append(evs, e)
	}
	return evs
}

func pick[T any](rng *rand.Rand, vs []T) T { return vs[rng.IntN(len(vs))] }

func fillParams(rng *rand.Rand, e *event.Event) {
	info := event.Lookup(e.Type)
	np := min(len(info.Params), event.MaxParams)
	if rng.IntN(8) == 0 {
		np = rng.IntN(np + 1) // fewer parameters than the schema
	}
	if rng.IntN(20) == 0 {
		np = min(np+1+rng.IntN(3), event.MaxParams) // more than the schema: integers
	}
	for i := 0; i < np; i++ {
		k := info.ParamKind(i)
		if !k.IsBytes() {
			e.SetInt(i, pick(rng, []uint64{0, 1, math.MaxUint64, 1 << 63, uint64(rng.Int64()), uint64(rng.IntN(100))}))
			continue
		}
		b := randomBytes(rng)
		orig := uint32(len(b))
		// KindDigest was KindBytes when testdata/v1-*.syscam were written: it draws
		// the same random numbers so that those files still match.
		if (k == event.KindBytes || k == event.KindDigest) && rng.IntN(3) == 0 {
			orig += uint32(rng.IntN(1 << 20)) // cut to the snaplen
		}
		e.SetBytes(i, b, orig)
	}
}

var paths = [][]byte{[]byte("/etc/passwd"), []byte("/usr/lib/libc.so.6"), []byte(""), []byte("relative/x")}

func randomBytes(rng *rand.Rand) []byte {
	switch rng.IntN(6) {
	case 0:
		return nil
	case 1:
		return bytes.Repeat([]byte{byte(rng.IntN(256))}, 1000+rng.IntN(70000)) // long
	case 2, 3:
		return paths[rng.IntN(len(paths))] // repeats
	default:
		b := make([]byte, rng.IntN(100))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
}

// writeTrace writes evs to a buffer and returns its bytes.
func writeTrace(t testing.TB, evs []*event.Event, opts WriterOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testHeader() Header {
	return Header{
		Host:        Host{Hostname: "web-1", KernelRelease: "6.8.0-45-generic", MachineID: "3f0e", BootID: "b007", BootTime: 1795700000e9, ClockOffset: 1795700000e9},
		Recorder:    "syscam test",
		CommandLine: []string{"syscam", "record", "-w", "x.syscam"},
		Filters:     "not proc.name = syscam",
		Snaplen:     64,
		Created:     1795759200e9,
	}
}

// readAll reads every event of r.
func readAll(t testing.TB, src interface{ Events(Selection) *Events }, sel Selection) []*event.Event {
	t.Helper()
	it := src.Events(sel)
	defer it.Close()
	var out []*event.Event
	var e event.Event
	for it.Next(&e) {
		out = append(out, e.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("read events: %v", err)
	}
	return out
}

// numbered returns copies of evs with Num set from 1, as a reader sets it.
func numbered(evs []*event.Event) []*event.Event {
	out := make([]*event.Event, len(evs))
	for i, e := range evs {
		out[i] = e.Clone()
		out[i].Num = uint64(i + 1)
	}
	return out
}

// diffEvents describes the first difference between want and got, or "".
func diffEvents(want, got []*event.Event) string {
	for i := 0; i < min(len(want), len(got)); i++ {
		if !event.Equal(want[i], got[i]) {
			return "event " + itoa(int64(i)) + ":\n-want " + want[i].String() + "\n+got  " + got[i].String()
		}
	}
	if len(want) != len(got) {
		return "want " + itoa(int64(len(want))) + " events, got " + itoa(int64(len(got)))
	}
	return ""
}

// synthEvents returns n events of the benchmark mix.
func synthEvents(seed uint64, n int) []*event.Event {
	g := synth.New(synth.Options{Seed: seed})
	evs := make([]*event.Event, n)
	for i := range evs {
		evs[i] = &event.Event{}
		g.Next(evs[i])
	}
	return evs
}

// smallState is a state snapshot: two threads, an fd, a user.
func smallState() []*event.Event {
	pi, _ := event.ByName("procinfo")
	fi, _ := event.ByName("fdinfo")
	ui, _ := event.ByName("userinfo")
	a := &event.Event{Type: pi, TID: 1, PID: 1, Time: 1795759200e9}
	a.SetInt(0, 0)
	a.SetString(1, "systemd")
	a.SetString(2, "/usr/lib/systemd/systemd")
	a.AppendString(3, "/sbin/init")
	a.AppendString(3, "splash")
	b := &event.Event{Type: pi, TID: 812, PID: 812, Time: 1795759200e9}
	b.SetInt(0, 1)
	b.SetString(1, "sshd")
	c := &event.Event{Type: fi, TID: 812, PID: 812, Time: 1795759200e9}
	c.SetInt(0, 3)
	c.SetInt(1, 2)
	c.SetInt(2, 0)
	c.SetString(3, "/var/log/auth.log")
	d := &event.Event{Type: ui, Time: 1795759200e9}
	d.SetInt(0, 0)
	d.SetInt(1, 0)
	d.SetString(2, "root")
	d.SetString(3, "/root")
	d.SetString(4, "/bin/bash")
	return []*event.Event{a, b, c, d}
}

// writeTraceWithState writes an initial state (when not nil), then evs.
func writeTraceWithState(t testing.TB, state, evs []*event.Event, opts WriterOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if state != nil {
		if err := w.WriteState(state[0].Time, state); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
