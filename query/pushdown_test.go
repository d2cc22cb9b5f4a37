package query

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
)

func types(names ...string) []event.Type {
	out := []event.Type{}
	for _, n := range names {
		t, _ := event.ByName(n)
		out = append(out, t)
	}
	return out
}

func TestBounds(t *testing.T) {
	sorted := func(names ...string) []event.Type {
		ts := types(names...)
		for i := range ts {
			for j := i + 1; j < len(ts); j++ {
				if ts[j] < ts[i] {
					ts[i], ts[j] = ts[j], ts[i]
				}
			}
		}
		return ts
	}
	tests := []struct {
		cond string
		want Bounds
	}{
		{"evt.type = ptrace", Bounds{Types: types("ptrace")}},
		{"evt.type in (open, openat) and proc.name = bash", Bounds{Types: sorted("open", "openat")}},
		{"evt.type = open or evt.type = execve", Bounds{Types: sorted("open", "execve")}},
		{"evt.type = open or proc.name = bash", Bounds{}},
		{"evt.type = open and evt.type = close", Bounds{Empty: true}},
		{"not evt.type != ptrace", Bounds{Types: types("ptrace")}},
		{"not (evt.type != ptrace or evt.num > 3)", Bounds{Types: types("ptrace")}},
		{"evt.rawtime >= 1000 and evt.rawtime < 2000", Bounds{From: 1000, To: 2000}},
		{"not evt.rawtime < 1000", Bounds{From: 1000}},
		{"evt.rawtime > 5 or evt.rawtime = 2", Bounds{From: 2}},
		{"thread.tid in (7, 8) and proc.pid = 7", Bounds{TIDs: []int32{7, 8}, PIDs: []int32{7}}},
		{"thread.tid = 7 or thread.tid = 9", Bounds{TIDs: []int32{7, 9}}},
		{"thread.tid = 7 and thread.tid = 9", Bounds{Empty: true}},
		{"not thread.tid = 7", Bounds{}},
		{"evt.type != read", Bounds{}},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			f, err := Compile(tt.cond, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f.Bounds()); diff != "" {
				t.Errorf("bounds (-want +got):\n%s", diff)
			}
		})
	}
}
