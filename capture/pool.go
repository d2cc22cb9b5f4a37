package capture

// batchPool holds the batches the writer has finished with. It hands out the most
// recently returned batch first: a FIFO cycled through all of them, so that every
// batch the reader filled had long left the caches. Last in, first out, the few
// batches in flight at a steady rate stay cached. The reader and the writer run in
// one goroutine: no lock.
type batchPool struct {
	stack []*batch
}

func newBatchPool(n, events int) *batchPool {
	p := &batchPool{stack: make([]*batch, 0, n)}
	for range n {
		p.stack = append(p.stack, newBatch(events))
	}
	return p
}

// get returns a free batch, or nil when there is none.
func (p *batchPool) get() *batch {
	n := len(p.stack)
	if n == 0 {
		return nil
	}
	b := p.stack[n-1]
	p.stack = p.stack[:n-1]
	return b
}

// put gives b back.
func (p *batchPool) put(b *batch) { p.stack = append(p.stack, b) }

// len returns the number of free batches.
func (p *batchPool) len() int { return len(p.stack) }
