package tree

import (
	"cmp"
	"slices"
	"strings"

	"github.com/syscam/syscam/tui/data"
)

// Sort orders siblings.
type Sort int

// Sort orders, in the order the sort key cycles through them.
const (
	ByStart Sort = iota
	ByPID
	ByName
	ByEvents
	ByAlerts
	numSorts
)

func (s Sort) String() string {
	return [...]string{"start", "pid", "name", "events", "alerts"}[s]
}

// row is one visible line of the tree.
type row struct {
	id     int    // Proc.ID
	prefix string // the branches drawn before the name
	kids   bool
}

// forest holds the parent-child links of the processes shown.
type forest struct {
	roots []int
	kids  map[int][]int
}

// build links the processes that keep(id) accepts, sorted by s.
func build(procs []data.Proc, keep func(id int) bool, s Sort, count func(p *data.Proc) uint64) forest {
	f := forest{kids: map[int][]int{}}
	for i := range procs {
		if !keep(i) {
			continue
		}
		if p := procs[i].Parent; p >= 0 && keep(p) {
			f.kids[p] = append(f.kids[p], i)
		} else {
			f.roots = append(f.roots, i)
		}
	}
	less := func(a, b int) int { return compare(&procs[a], &procs[b], s, count) }
	slices.SortStableFunc(f.roots, less)
	for _, k := range f.kids {
		slices.SortStableFunc(k, less)
	}
	return f
}

func compare(a, b *data.Proc, s Sort, count func(p *data.Proc) uint64) int {
	switch s {
	case ByPID:
		return cmp.Compare(a.PID, b.PID)
	case ByName:
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.PID, b.PID))
	case ByEvents:
		return cmp.Compare(count(b), count(a))
	case ByAlerts:
		return cmp.Or(cmp.Compare(b.Alerts, a.Alerts), cmp.Compare(count(b), count(a)))
	}
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.PID, b.PID))
}

// flatten lists the visible rows, depth first, skipping collapsed subtrees.
func (f forest) flatten(collapsed map[int]bool) []row {
	var out []row
	var walk func(id int, lead string, last, root bool)
	walk = func(id int, lead string, last, root bool) {
		branch, next := "", ""
		if !root {
			branch, next = "├─", "│ "
			if last {
				branch, next = "└─", "  "
			}
		}
		kids := f.kids[id]
		mark := "  "
		if len(kids) > 0 {
			mark = "▾ "
			if collapsed[id] {
				mark = "▸ "
			}
		}
		out = append(out, row{id: id, prefix: lead + branch + mark, kids: len(kids) > 0})
		if collapsed[id] {
			return
		}
		for i, k := range kids {
			walk(k, lead+next, i == len(kids)-1, false)
		}
	}
	for _, r := range f.roots {
		walk(r, "", true, true)
	}
	return out
}

// keepWithAncestors returns the processes with a match and every ancestor of one.
func keepWithAncestors(procs []data.Proc, matched func(p *data.Proc) bool) []bool {
	keep := make([]bool, len(procs))
	for i := range procs {
		if !matched(&procs[i]) {
			continue
		}
		for j := i; j >= 0 && !keep[j]; j = procs[j].Parent {
			keep[j] = true
		}
	}
	return keep
}
