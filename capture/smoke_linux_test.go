package capture

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/syscam/syscam/event"
)

type sliceSink struct{ evs []*event.Event }

func (s *sliceSink) Write(e *event.Event) error {
	s.evs = append(s.evs, e.Clone())
	return nil
}

func TestSmoke(t *testing.T) {
	requireBPF(t)
	r, err := New(Options{Children: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	sink := &sliceSink{}
	done := make(chan error)
	go func() { done <- r.Run(ctx, sink) }()
	cmd := exec.Command("/bin/sh", "-c", "cat /etc/hostname > /dev/null; ls /nonexistent; exit 3")
	cmd.Run()
	for i := 0; i < 100; i++ {
		n, _ := r.Traced()
		if n == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, e := range sink.evs {
		t.Log(e.String())
	}
	t.Logf("%+v", r.Stats())
}
