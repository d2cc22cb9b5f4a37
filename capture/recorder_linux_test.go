package capture

import (
	"context"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
)

type sliceSink struct{ evs []*event.Event }

func (s *sliceSink) Write(e *event.Event) error {
	s.evs = append(s.evs, e.Clone())
	return nil
}

func TestRecorderOrdersTheWholeHostWithoutLateEvents(t *testing.T) {
	requireBPF(t)
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	sink := &sliceSink{}
	if err := r.Run(ctx, sink); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if len(sink.evs) < 3 || st.Late != 0 {
		t.Fatalf("%d events, %d late; want a busy host recorded with none late", len(sink.evs), st.Late)
	}
	if first, last := sink.evs[0], sink.evs[len(sink.evs)-1]; first.Type != event.TypeCaptureStart || last.Type != event.TypeCaptureStop {
		t.Errorf("trace runs from %s to %s, want capture_start to capture_stop", first.Name(), last.Name())
	}
	for i := 1; i < len(sink.evs); i++ {
		if sink.evs[i].Time < sink.evs[i-1].Time {
			t.Fatalf("event %d (%s) before event %d (%s)", i, sink.evs[i], i-1, sink.evs[i-1])
		}
	}
	if st.Written != uint64(len(sink.evs)) {
		t.Errorf("stats count %d events written, the sink got %d", st.Written, len(sink.evs))
	}
}
