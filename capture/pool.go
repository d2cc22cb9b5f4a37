package capture

import (
	"sync"
	"sync/atomic"
	"time"
)

// batchPool holds the batches the writer has finished with. It hands out the most
// recently returned batch first: a FIFO (a channel) cycled through all of them, so
// that every batch the reader filled had long left the caches. Last in, first out,
// the few batches in flight at a steady rate stay cached.
type batchPool struct {
	mu    sync.Mutex
	stack []*batch
	free  atomic.Int32  // len(stack), read without the lock: the writer checks it often
	ready chan struct{} // signalled when a batch is put back
}

func newBatchPool(n, events int) *batchPool {
	p := &batchPool{stack: make([]*batch, 0, n), ready: make(chan struct{}, 1)}
	for range n {
		p.stack = append(p.stack, newBatch(events))
	}
	p.free.Store(int32(n))
	return p
}

// get returns a free batch, or nil when there is none.
func (p *batchPool) get() *batch {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.stack)
	if n == 0 {
		return nil
	}
	b := p.stack[n-1]
	p.stack = p.stack[:n-1]
	p.free.Store(int32(n - 1))
	return b
}

// put gives b back.
func (p *batchPool) put(b *batch) {
	p.mu.Lock()
	p.stack = append(p.stack, b)
	p.free.Store(int32(len(p.stack)))
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

// len returns the number of free batches.
func (p *batchPool) len() int { return int(p.free.Load()) }

// wait returns a free batch, waiting up to d for one; nil past d.
func (p *batchPool) wait(d time.Duration) *batch {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		if b := p.get(); b != nil {
			return b
		}
		select {
		case <-p.ready:
		case <-t.C:
			return p.get()
		}
	}
}
