package capture

import (
	"testing"
	"time"
)

func TestBatchPoolHandsOutTheBatchReturnedLast(t *testing.T) {
	p := newBatchPool(3, 4)
	a, b := p.get(), p.get()
	p.put(a)
	p.put(b)
	if got := p.get(); got != b {
		t.Errorf("get after put(a), put(b) = %p, want b %p (last in, first out)", got, b)
	}
	if got := p.len(); got != 2 {
		t.Errorf("len = %d, want 2", got)
	}
	if got := len(b.ents); got != 4 {
		t.Errorf("batch holds %d entries, want 4", got)
	}
}

func TestBatchPoolWaitGivesUpWhenNoBatchComesBack(t *testing.T) {
	p := newBatchPool(1, 1)
	p.get()
	start := time.Now()
	if b := p.wait(20 * time.Millisecond); b != nil {
		t.Fatalf("wait on an empty pool = %p, want nil", b)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("wait returned after %v, before its 20ms", d)
	}
}

func TestBatchPoolWaitReturnsABatchPutBackMeanwhile(t *testing.T) {
	p := newBatchPool(1, 1)
	b := p.get()
	go func() {
		time.Sleep(5 * time.Millisecond)
		p.put(b)
	}()
	if got := p.wait(10 * time.Second); got != b {
		t.Errorf("wait = %p, want the batch put back %p", got, b)
	}
}
