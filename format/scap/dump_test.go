package scap

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
)

var dumpFile = flag.String("dump", "", "print the blocks and raw events of this capture (a debugging aid: go test -run TestDump -dump FILE)")

// TestDump prints a capture as this package's decoder sees it, before any mapping. The
// expected values of the tests on the shared captures were read from this dump and
// cross-checked by hand against FORMAT.md and EVENTS.md.
func TestDump(t *testing.T) {
	if *dumpFile == "" {
		t.Skip("no -dump FILE given")
	}
	f, err := os.Open(*dumpFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br, err := newBlockReader(f, *dumpFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := openStream(br)
	if err != nil {
		t.Fatal(err)
	}
	dumpSection(s)
	var ev rawEvent
	for {
		typ, body, ok, err := br.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
		if !isEventBlock(typ) {
			fmt.Printf("block %s at %d\n", blockName(typ), br.lastOff)
			continue
		}
		known, err := decodeEvent(body, typ, &ev)
		if err != nil || !known {
			fmt.Printf("event at %d: known=%v err=%v\n", br.lastOff, known, err)
			continue
		}
		fmt.Println(dumpRaw(&ev))
	}
}

func dumpSection(s *Section) {
	fmt.Printf("section %d.%d comments=%q appl=%q skipped=%v\n", s.Major, s.Minor, s.Comments, s.UserAppl, s.Skipped)
	if s.Machine != nil {
		fmt.Printf("machine %+v\n", *s.Machine)
	}
	for _, th := range s.Threads {
		fmt.Printf("thread tid=%d pid=%d ptid=%d comm=%q exe=%q exepath=%q args=%q cwd=%q uid=%d gid=%d vtid=%d vpid=%d loginuid=%d\n",
			th.TID, th.PID, th.PTID, th.Comm, th.Exe, th.ExePath, th.Args, th.Cwd, th.UID, th.GID, th.VTID, th.VPID, th.LoginUID)
	}
	for _, fd := range s.FDs {
		fmt.Printf("fd tid=%d fd=%d type=%d name=%q flags=%#x local=%v remote=%v l4=%d\n", fd.TID, fd.FD, fd.Type, fd.Name, fd.Flags, fd.Local, fd.Remote, fd.L4Proto)
	}
	for _, u := range s.Users {
		fmt.Printf("user %+v\n", u)
	}
	for _, g := range s.Groups {
		fmt.Printf("group %+v\n", g)
	}
	for _, i := range s.Ifaces {
		fmt.Printf("iface %+v\n", i)
	}
}

// dumpRaw renders a raw event: id, name, direction and each parameter by table type.
func dumpRaw(ev *rawEvent) string {
	info := lookupEv(ev.typ)
	dir := "<"
	if isEnter(ev.typ) {
		dir = ">"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d cpu=%d tid=%d %s %s(%d) np=%d", ev.ts, ev.cpu, ev.tid, dir, info.name, ev.typ, ev.n)
	for i := 0; i < ev.n; i++ {
		name, typ := fmt.Sprint("p", i), ptNone
		if i < len(info.params) {
			name, typ = info.params[i].name, info.params[i].typ
		}
		fmt.Fprintf(&b, " %s=%s", name, dumpParam(ev.p[i], typ))
	}
	return b.String()
}

func dumpParam(v []byte, typ ptType) string {
	switch {
	case len(v) == 0:
		return "<empty>"
	case typ.fixedSize() == len(v) && len(v) == 8:
		return fmt.Sprint(int64(binary.LittleEndian.Uint64(v)))
	case typ.fixedSize() == len(v) && len(v) == 4:
		return fmt.Sprintf("%#x", binary.LittleEndian.Uint32(v))
	case typ.fixedSize() == len(v) && len(v) == 2:
		return fmt.Sprint(binary.LittleEndian.Uint16(v))
	case typ.fixedSize() == len(v) && len(v) == 1:
		return fmt.Sprint(v[0])
	case typ == ptCharbuf || typ == ptFspath || typ == ptFsrelpath || typ == ptBytebuf:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprintf("%x", v)
}

var mappedFile = flag.String("mapped", "", "print the syscam events a capture maps to (go test -run TestDumpMapped -mapped FILE)")

// TestDumpMapped prints the initial state and the events of a capture after mapping.
func TestDumpMapped(t *testing.T) {
	if *mappedFile == "" {
		t.Skip("no -mapped FILE given")
	}
	r, err := Open(*mappedFile)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st, _ := r.InitialState()
	for _, e := range st {
		fmt.Println("state", e)
	}
	it := r.Iter(Filter{})
	var e event.Event
	for it.Next(&e) {
		fmt.Println(e.String())
	}
	fmt.Printf("err=%v stats=%+v unmapped=%v\n", it.Err(), *it.Stats(), it.Stats().Unmapped())
}
