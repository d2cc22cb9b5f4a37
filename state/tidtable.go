package state

// tidTable maps tids to threads. Tids are dense small integers (below pid_max, 4 Mi at
// most), so a two-level array finds a thread in two loads where a map hashes: the
// lookup runs for every event. Pages of 4096 slots are allocated as tids are seen;
// other values (negative, past pid_max) fall back to a map.
type tidTable struct {
	pages [tidPages]*[tidPageSize]*Thread
	used  [tidPages]uint16 // threads per page: an empty page is freed
	other map[int32]*Thread
	n     int
}

const (
	tidPageBits = 12
	tidPageSize = 1 << tidPageBits
	tidPages    = (1 << 22) >> tidPageBits // pid_max can be at most 2^22
)

func (t *tidTable) get(tid int32) *Thread {
	if uint32(tid) < tidPages*tidPageSize {
		if pg := t.pages[tid>>tidPageBits]; pg != nil {
			return pg[tid&(tidPageSize-1)]
		}
		return nil
	}
	return t.other[tid]
}

func (t *tidTable) set(tid int32, th *Thread) {
	if uint32(tid) < tidPages*tidPageSize {
		pg := t.pages[tid>>tidPageBits]
		if pg == nil {
			pg = new([tidPageSize]*Thread)
			t.pages[tid>>tidPageBits] = pg
		}
		slot := &pg[tid&(tidPageSize-1)]
		if *slot == nil {
			t.n++
			t.used[tid>>tidPageBits]++
		}
		*slot = th
		return
	}
	if t.other == nil {
		t.other = make(map[int32]*Thread)
	}
	if _, ok := t.other[tid]; !ok {
		t.n++
	}
	t.other[tid] = th
}

func (t *tidTable) delete(tid int32) {
	if uint32(tid) < tidPages*tidPageSize {
		i := tid >> tidPageBits
		if pg := t.pages[i]; pg != nil && pg[tid&(tidPageSize-1)] != nil {
			pg[tid&(tidPageSize-1)] = nil
			t.n--
			if t.used[i]--; t.used[i] == 0 {
				t.pages[i] = nil // pids cycle through pid_max: keep only pages in use
			}
		}
		return
	}
	if _, ok := t.other[tid]; ok {
		delete(t.other, tid)
		t.n--
	}
}

// all calls fn for every thread in tid order (those past pid_max last, unordered)
// until fn returns false.
func (t *tidTable) all(fn func(*Thread) bool) {
	for _, pg := range t.pages {
		if pg == nil {
			continue
		}
		for _, th := range pg {
			if th != nil && !fn(th) {
				return
			}
		}
	}
	for _, th := range t.other {
		if !fn(th) {
			return
		}
	}
}
