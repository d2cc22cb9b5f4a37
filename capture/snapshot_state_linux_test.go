package capture

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/state"
)

// TestStateEngineRebuildsTheFakeHostFromItsSnapshot loads the snapshot of the fake tree
// into the replay engine, as inspect does with a trace's initial state, and checks
// what an analyst would ask of it.
func TestStateEngineRebuildsTheFakeHostFromItsSnapshot(t *testing.T) {
	evs, _, _ := fakeSnapshot(t, false)
	e := state.New(state.Config{})
	e.Load(evs)

	type view struct {
		Ancestry  []int32
		Argv      []string
		Cwd       string
		User      string
		Threads   []int32
		Container string
		Runtime   string
		Image     string
		FD3       string
		FD3Role   state.Role
	}
	look := func(pid int32) view {
		p := e.Process(pid)
		if p == nil {
			t.Fatalf("no process %d after loading the snapshot", pid)
		}
		var v view
		for a := p.Parent; a != nil; a = a.Parent {
			v.Ancestry = append(v.Ancestry, a.PID)
		}
		v.Argv, v.Cwd = p.Argv, p.Cwd
		for th := range e.Threads() {
			if th.Proc == p {
				v.Threads = append(v.Threads, th.TID)
			}
		}
		if u := e.UserOf(e.Thread(pid)); u != nil {
			v.User = u.Name
		}
		if c := e.ContainerOf(p); c != nil {
			v.Container, v.Runtime, v.Image = c.ID, c.Runtime, c.Image
		}
		if f := e.Thread(pid).FD(3); f != nil {
			v.FD3, v.FD3Role = string(f.AppendName(nil)), f.Role
		}
		return v
	}
	got := map[int32]view{300: look(300), 400: look(400)}
	want := map[int32]view{
		300: {Ancestry: []int32{200, 100, 1}, Argv: []string{"curl", "-s", "https://example.com/"}, Cwd: "/home/alice",
			User: "alice", Threads: []int32{300}, FD3: "10.0.0.5:40000->93.184.216.34:443", FD3Role: state.RoleClient},
		400: {Argv: []string{"/usr/bin/payload", "--serve"}, Cwd: "/srv", User: "root", Threads: []int32{400, 401},
			Container: fakeDocker, Runtime: "docker", Image: "registry.example.com/shop/web:1.4.2", FD3: "memfd:payload"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state after loading the snapshot (-want +got):\n%s", diff)
	}
}
