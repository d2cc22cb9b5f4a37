package state

import "slices"

// denseFDs bounds the fd numbers kept in the table's slice; higher numbers (rare:
// servers with many connections, programs that dup2 to 1000+) go to a map.
const denseFDs = 1024

// FDTable maps fd numbers to open file descriptions: the kernel's files_struct. Threads
// (and processes created with CLONE_FILES) that share a table point to the same one.
type FDTable struct {
	dense   []*FD
	cloexec []bool // parallel to dense
	sparse  map[int32]slot
	n       int   // open fds
	users   int32 // live threads pointing here
}

type slot struct {
	fd      *FD
	cloexec bool
}

// Get returns the entry of fd num, or nil when it is not open.
func (t *FDTable) Get(num int32) *FD {
	if uint32(num) < uint32(len(t.dense)) {
		return t.dense[num]
	}
	if num < 0 || t.sparse == nil {
		return nil
	}
	return t.sparse[num].fd
}

// CloseOnExec reports whether fd num is open with close-on-exec.
func (t *FDTable) CloseOnExec(num int32) bool {
	if uint32(num) < uint32(len(t.dense)) {
		return t.cloexec[num]
	}
	return t.sparse[num].cloexec
}

// Len returns the number of open fds.
func (t *FDTable) Len() int { return t.n }

// Range calls fn for each open fd in ascending order until fn returns false.
func (t *FDTable) Range(fn func(num int32, f *FD) bool) {
	for i, f := range t.dense {
		if f != nil && !fn(int32(i), f) {
			return
		}
	}
	if len(t.sparse) == 0 {
		return
	}
	keys := make([]int32, 0, len(t.sparse))
	for k := range t.sparse {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !fn(k, t.sparse[k].fd) {
			return
		}
	}
}

// set installs f as fd num and returns the entry it replaced (nil if none).
func (t *FDTable) set(num int32, f *FD, cloexec bool) *FD {
	if num < 0 {
		return nil
	}
	if num < denseFDs {
		if int(num) >= len(t.dense) {
			t.grow(int(num) + 1)
		}
		old := t.dense[num]
		t.dense[num], t.cloexec[num] = f, cloexec
		t.count(old, f)
		return old
	}
	if t.sparse == nil {
		t.sparse = make(map[int32]slot)
	}
	old := t.sparse[num].fd
	if f == nil {
		delete(t.sparse, num)
	} else {
		t.sparse[num] = slot{f, cloexec}
	}
	t.count(old, f)
	return old
}

func (t *FDTable) count(old, f *FD) {
	if old != nil {
		t.n--
	}
	if f != nil {
		t.n++
	}
}

func (t *FDTable) grow(n int) {
	c := max(n, 2*len(t.dense), 8)
	c = min(c, denseFDs)
	t.dense = append(t.dense, make([]*FD, c-len(t.dense))...)
	t.cloexec = append(t.cloexec, make([]bool, c-len(t.cloexec))...)
}

// setCloexec changes the close-on-exec bit of an open fd.
func (t *FDTable) setCloexec(num int32, on bool) {
	if uint32(num) < uint32(len(t.dense)) {
		t.cloexec[num] = on
		return
	}
	if s, ok := t.sparse[num]; ok {
		s.cloexec = on
		t.sparse[num] = s
	}
}

// lowestFree returns the lowest fd number ≥ from that is not open, as dup and
// F_DUPFD pick theirs.
func (t *FDTable) lowestFree(from int32) int32 {
	for i := max(from, 0); i < int32(len(t.dense)); i++ {
		if t.dense[i] == nil {
			return i
		}
	}
	n := max(from, int32(len(t.dense)))
	for t.Get(n) != nil {
		n++
	}
	return n
}

// clone returns a copy for a forked child: the same descriptions under the same
// numbers.
func (t *FDTable) clone() *FDTable {
	c := &FDTable{n: t.n}
	if len(t.dense) > 0 {
		c.dense = slices.Clone(t.dense)
		c.cloexec = slices.Clone(t.cloexec)
	}
	if len(t.sparse) > 0 {
		c.sparse = make(map[int32]slot, len(t.sparse))
		for k, v := range t.sparse {
			c.sparse[k] = v
		}
	}
	return c
}

// closeOnExec drops the fds marked close-on-exec.
func (t *FDTable) closeOnExec() {
	for i, on := range t.cloexec {
		if on && t.dense[i] != nil {
			t.set(int32(i), nil, false)
		}
	}
	for k, s := range t.sparse {
		if s.cloexec {
			t.set(k, nil, false)
		}
	}
}

// clear drops every fd, when the last thread using the table is gone.
func (t *FDTable) clear() {
	clear(t.dense)
	clear(t.cloexec)
	t.sparse = nil
	t.n = 0
}
