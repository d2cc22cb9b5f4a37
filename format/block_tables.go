package format

import (
	"hash/maphash"
	"math/bits"
)

// The builder's two lookups by content, the string dictionary and the thread table,
// are open-addressing tables of entry numbers whose keys stay where the block keeps
// them anyway (the lit column, the thread list): nothing is allocated per new entry,
// and clearing them for the next block is one memclr. Both stay at most half full.

// dictTable maps literals of a block to their dictionary entry numbers.
type dictTable struct {
	seed  maphash.Seed
	slots []uint32 // index+1 in ents; 0: empty
	ents  []dictEnt
}

// dictEnt is a literal that can be looked up: its bytes are lit[off:off+n].
type dictEnt struct {
	hash   uint64
	off, n uint32
	id     uint32 // dictionary entry number
}

const minTableSlots = 1024

func (d *dictTable) reset() {
	if len(d.ents) > 0 {
		clear(d.slots)
		d.ents = d.ents[:0]
	}
}

// find returns the entry number of s, whose hash is h, among the literals in lit; when
// s is not there, ok is false and slot is where it goes.
func (d *dictTable) find(s, lit []byte, h uint64) (id uint32, slot int, ok bool) {
	mask := len(d.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		k := d.slots[i]
		if k == 0 {
			return 0, i, false
		}
		en := &d.ents[k-1]
		if en.hash == h && int(en.n) == len(s) && string(lit[en.off:en.off+en.n]) == string(s) {
			return en.id, i, true
		}
	}
}

func newDictTable() dictTable {
	return dictTable{seed: maphash.MakeSeed(), slots: make([]uint32, minTableSlots)}
}

// hash returns the hash find and insert expect.
func (d *dictTable) hash(s []byte) uint64 { return maphash.Bytes(d.seed, s) }

// insert records entry id, a literal of n bytes at lit[off:], in slot (from find).
func (d *dictTable) insert(slot int, h uint64, off, n, id uint32) {
	d.ents = append(d.ents, dictEnt{hash: h, off: off, n: n, id: id})
	d.slots[slot] = uint32(len(d.ents))
	if 2*len(d.ents) > len(d.slots) {
		d.rehash(2 * len(d.slots))
	}
}

func (d *dictTable) rehash(size int) {
	d.slots = make([]uint32, size)
	mask := size - 1
	for k := range d.ents {
		i := int(d.ents[k].hash) & mask
		for d.slots[i] != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = uint32(k + 1)
	}
}

// threadTable maps (tid, pid) to 1 + the pair's index in the block's thread list.
type threadTable struct {
	slots []uint32 // 1 + pair index; 0: empty
	shift uint     // 64 − log2(len(slots))
	n     int
}

func newThreadTable() threadTable {
	return threadTable{slots: make([]uint32, minTableSlots), shift: uint(64 - bits.TrailingZeros(minTableSlots))}
}

func (t *threadTable) reset() {
	if t.n > 0 {
		clear(t.slots)
		t.n = 0
	}
}

// slotOf hashes the key (Fibonacci hashing: the high bits of key × 2⁶⁴/φ).
func (t *threadTable) slotOf(key uint64) int {
	return int((key * 0x9e3779b97f4a7c15) >> t.shift)
}

// find returns the value of (tid, pid) in list (tid, pid pairs), or 0 and the slot
// where it goes.
func (t *threadTable) find(list []int32, tid, pid int32) (v uint32, slot int) {
	mask := len(t.slots) - 1
	for i := t.slotOf(uint64(uint32(tid))<<32 | uint64(uint32(pid))); ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, i
		}
		if list[2*v-2] == tid && list[2*v-1] == pid {
			return v, i
		}
	}
}

// insert stores v, the last pair of list, in slot (from find).
func (t *threadTable) insert(list []int32, slot int, v uint32) {
	t.slots[slot] = v
	t.n++
	if 2*t.n <= len(t.slots) {
		return
	}
	t.slots = make([]uint32, 2*len(t.slots))
	t.shift--
	mask := len(t.slots) - 1
	for k := 1; k <= t.n; k++ {
		i := t.slotOf(uint64(uint32(list[2*k-2]))<<32 | uint64(uint32(list[2*k-1])))
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = uint32(k)
	}
}
