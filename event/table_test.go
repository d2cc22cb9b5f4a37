package event

import (
	"strings"
	"testing"
)

func TestTableCoversEverySyscall(t *testing.T) {
	seen := map[int]bool{}
	for _, d := range x86_64 {
		seen[d.nr] = true
		in := Lookup(Type(d.nr))
		if in.Name != d.name || in.Syscall != d.nr {
			t.Errorf("syscall %d: table says %q (nr %d), want %q", d.nr, in.Name, in.Syscall, d.name)
		}
	}
	for _, want := range []string{"read", "openat", "execve", "clone3", "io_uring_setup", "memfd_create", "bpf", "mseal", "file_setattr"} {
		if _, ok := ByName(want); !ok {
			t.Errorf("syscall %q missing from the table", want)
		}
	}
}

func TestDecodedSyscallsAreKnownAndTyped(t *testing.T) {
	decoded := 0
	for i := range syscallSchemas {
		s := &syscallSchemas[i]
		typ, ok := ByName(s.Name)
		if !ok {
			t.Errorf("schema %q names no x86_64 syscall", s.Name)
			continue
		}
		if Lookup(typ) != s {
			t.Errorf("schema %q is not the table's entry for type %d", s.Name, typ)
		}
		if len(s.Params) > MaxParams {
			t.Errorf("%s: %d params, more than MaxParams", s.Name, len(s.Params))
		}
		decoded++
	}
	if decoded < 80 {
		t.Errorf("%d syscalls decoded with typed parameters, want at least 80", decoded)
	}
}

func TestSchemasAreWellFormed(t *testing.T) {
	names := map[string]bool{}
	for _, in := range All() {
		if names[in.Name] {
			t.Errorf("type name %q used twice", in.Name)
		}
		names[in.Name] = true
		if len(in.Params) > MaxParams {
			t.Errorf("%s: %d parameters, more than an Event holds (MaxParams %d)", in.Name, len(in.Params), MaxParams)
		}
		pn := map[string]bool{}
		for _, p := range in.Params {
			if !p.Kind.Valid() {
				t.Errorf("%s.%s: invalid kind %d", in.Name, p.Name, p.Kind)
			}
			if (p.Kind == KindFlags || p.Kind == KindEnum) != (p.Set != nil) {
				t.Errorf("%s.%s: kind %s with flag set %v", in.Name, p.Name, p.Kind, p.Set)
			}
			if pn[p.Name] {
				t.Errorf("%s: parameter %q twice", in.Name, p.Name)
			}
			pn[p.Name] = true
		}
		if in.Has(UsesFD) && in.ParamIndex("fd") != 0 {
			t.Errorf("%s: UsesFD but parameter 0 is not fd", in.Name)
		}
	}
}

func TestUnknownTypeIsGeneric(t *testing.T) {
	in := Lookup(Type(60000))
	if !strings.HasPrefix(in.Name, "unknown") || in.Syscall != -1 {
		t.Errorf("Lookup(60000) = %+v, want the unknown entry", in)
	}
}
