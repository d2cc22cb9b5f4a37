package format

import (
	"runtime"
	"sync"

	"github.com/syscam/syscam/event"
)

// fileIter yields the selected events of one file. A dispatcher goroutine queues the
// selected blocks in file order; workers load and decompress them in parallel; Next
// decodes events from the oldest loaded block. At most lookahead blocks are held in
// memory at once.
type fileIter struct {
	r       *Reader
	sel     *compiledSelection
	futures chan *future
	stop    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	cur     *loaded
	num     uint64
	err     error
}

// future is a block being loaded.
type future struct {
	info *BlockInfo
	l    *loaded
	err  error
	done chan struct{}
}

func (r *Reader) newIterator(sel Selection) Iterator {
	it := &fileIter{r: r, sel: sel.compile(), stop: make(chan struct{})}
	var picked []*BlockInfo
	for i := range r.foot.Blocks {
		if b := &r.foot.Blocks[i]; b.mayHold(it.sel) {
			picked = append(picked, b)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 4, max(len(picked), 1))
	it.futures = make(chan *future, 2*workers)
	work := make(chan *future, 2*workers)
	it.wg.Add(1 + workers)
	go it.dispatch(picked, work)
	for range workers {
		go it.work(work)
	}
	return it
}

func (it *fileIter) dispatch(picked []*BlockInfo, work chan<- *future) {
	defer it.wg.Done()
	defer close(it.futures)
	defer close(work)
	for _, b := range picked {
		f := &future{info: b, done: make(chan struct{})}
		select {
		case work <- f:
		case <-it.stop:
			return
		}
		select {
		case it.futures <- f:
		case <-it.stop:
			return
		}
	}
}

func (it *fileIter) work(work <-chan *future) {
	defer it.wg.Done()
	var keep func(*event.Event) bool
	if it.sel.keep != nil {
		keep = it.sel.keep() // one per goroutine: predicates need not be safe for concurrent use
	}
	for f := range work {
		select {
		case <-it.stop:
			close(f.done)
			continue
		default:
		}
		f.l, f.err = it.r.load(kindBlock, f.info.Seq, f.info.Offset, f.info.Size, keep)
		if f.l != nil {
			f.l.first, f.l.seq, f.l.off = f.info.First, f.info.Seq, f.info.Offset
		}
		close(f.done)
	}
}

func (it *fileIter) Next(e *event.Event) bool {
	for it.err == nil {
		if it.cur == nil && !it.advance() {
			return false
		}
		l := it.cur
		for l.next(e) {
			e.Num = l.first + uint64(l.pos()) - 1
			if it.sel.matches(e) {
				return true
			}
		}
		if err := l.err(); err != nil {
			b := it.cur
			it.err = &FormatError{File: it.r.name, Part: "block " + itoa(int64(b.seq)), Offset: b.off, Err: err}
			it.r.dec.put(b)
			it.cur = nil
			return false
		}
		it.r.dec.put(it.cur)
		it.cur = nil
	}
	return false
}

// advance waits for the next loaded block.
func (it *fileIter) advance() bool {
	f, ok := <-it.futures
	if !ok {
		it.r.dec.release()
		return false
	}
	<-f.done
	if f.err != nil {
		it.err = f.err
		return false
	}
	it.cur = f.l
	return true
}

func (it *fileIter) Err() error { return it.err }

func (it *fileIter) Close() error {
	it.once.Do(func() {
		close(it.stop)
		go func() { // wait for the blocks loaded ahead, and drop them
			for f := range it.futures {
				<-f.done
			}
		}()
		it.wg.Wait()
		// Nothing is kept for reuse once an iteration is over (see release).
		it.cur = nil
		it.r.dec.release()
	})
	return nil
}
