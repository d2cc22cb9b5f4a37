package state

// fifo holds exited threads in exit order, oldest first.
type fifo struct {
	items []*Thread
	head  int
}

func (q *fifo) push(t *Thread) { q.items = append(q.items, t) }

func (q *fifo) len() int { return len(q.items) - q.head }

// peek returns the oldest thread, or nil.
func (q *fifo) peek() *Thread {
	if q.head == len(q.items) {
		return nil
	}
	return q.items[q.head]
}

// pop removes the oldest thread, compacting the slice once half of it is spent so that
// its size follows the queue, not the number of exits ever seen.
func (q *fifo) pop() {
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
		return
	}
	if q.head >= 1024 && q.head*2 >= len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
}

// sortTail moves the last thread pushed back to its place in exit order: snapshot
// records list exited threads in any order.
func (q *fifo) sortTail() {
	for i := len(q.items) - 1; i > q.head && q.items[i].Exit < q.items[i-1].Exit; i-- {
		q.items[i], q.items[i-1] = q.items[i-1], q.items[i]
	}
}
