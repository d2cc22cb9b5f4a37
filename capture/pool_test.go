package capture

import "testing"

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
