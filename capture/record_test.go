package capture

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
)

// rawRec builds a raw record as the BPF side writes it.
type rawRec struct {
	ts    uint64
	ret   int64
	tid   uint32
	pid   uint32
	typ   string
	cpu   uint16
	flags uint8
	args  []uint64
	blobs [][]byte
	// peer marks blob peer-1 as the socket's peer address (BLOB_PEER); 0 marks none.
	peer int
}

func (r rawRec) bytes() []byte {
	t, ok := event.ByName(r.typ)
	if !ok {
		panic(r.typ)
	}
	le := binary.LittleEndian
	b := le.AppendUint64(nil, r.ts)
	b = le.AppendUint64(b, uint64(r.ret))
	b = le.AppendUint32(b, r.tid)
	b = le.AppendUint32(b, r.pid)
	b = le.AppendUint16(b, uint16(t))
	b = le.AppendUint16(b, r.cpu)
	b = append(b, r.flags, uint8(len(r.args)), uint8(len(r.blobs)), 0)
	for _, a := range r.args {
		b = le.AppendUint64(b, a)
	}
	for i, bl := range r.blobs {
		b = le.AppendUint16(b, uint16(len(bl)))
		if i == r.peer-1 {
			b = append(b, blobPeer, 0)
		} else {
			b = append(b, 0, 0)
		}
		b = le.AppendUint32(b, uint32(len(bl)))
		b = append(b, bl...)
	}
	return b
}

func newTestDecoder(t testing.TB) *decoder {
	t.Helper()
	table, err := newSpecTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &decoder{table: table, bootOffset: 1_000_000_000}
}

func sockaddrIn(port uint16, ip [4]byte) []byte {
	b := []byte{2, 0, byte(port >> 8), byte(port)}
	b = append(b, ip[:]...)
	return append(b, make([]byte, 8)...)
}

func tupleInet(lport, rport uint16, l, r [4]byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, 2)
	b = binary.LittleEndian.AppendUint16(b, lport)
	b = binary.BigEndian.AppendUint16(b, rport)
	b = append(b, 0, 0)
	b = append(b, l[:]...)
	b = append(b, make([]byte, 12)...)
	b = append(b, r[:]...)
	return append(b, make([]byte, 12)...)
}

// cmsgRights builds a control buffer holding one SCM_RIGHTS message.
func cmsgRights(fds ...int32) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(16+4*len(fds)))
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, 1)
	for _, fd := range fds {
		b = binary.LittleEndian.AppendUint32(b, uint32(fd))
	}
	return b
}

func sockaddrIn6(port uint16, ip [16]byte) []byte {
	b := []byte{10, 0, byte(port >> 8), byte(port), 0, 0, 0, 0}
	b = append(b, ip[:]...)
	return append(b, 0, 0, 0, 0)
}

func sockaddrUn(path string) []byte { return append([]byte{1, 0}, path...) }

// fileHandle builds a struct file_handle as open_by_handle_at reads it.
func fileHandle(typ int32, h []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(h)))
	b = binary.LittleEndian.AppendUint32(b, uint32(typ))
	return append(b, h...)
}

func u64s(v ...uint64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return b
}

func TestDecodeTurnsRawRecordsIntoTypedEvents(t *testing.T) {
	d := newTestDecoder(t)
	lo := [4]byte{127, 0, 0, 1}
	tests := []struct {
		name string
		rec  rawRec
		want string
	}{
		{"a syscall without arguments keeps its header", rawRec{ts: 5, ret: 41, tid: 42, pid: 41, typ: "getppid", cpu: 1},
			"0 1000000005 cpu=1 tid=42 pid=41 < getppid res=41 "},
		{"openat decodes AT_FDCWD, the path, flags, mode and the opened file", rawRec{ret: 3, tid: 7, pid: 7, typ: "openat",
			args:  []uint64{0xffffff9c, 0, 0x80241, 0o640},
			blobs: [][]byte{[]byte("/tmp/x"), u64s(0x00800001, 99)}},
			"0 1000000000 cpu=0 tid=7 pid=7 < openat res=3 dirfd=-100 name=/tmp/x flags=O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC mode=0640 dev=2049 ino=99"},
		{"connect decodes the address and both ends of the socket", rawRec{tid: 7, pid: 7, typ: "connect",
			args:  []uint64{5},
			blobs: [][]byte{sockaddrIn(80, lo), tupleInet(40000, 80, lo, lo)}},
			"0 1000000000 cpu=0 tid=7 pid=7 < connect res=0 fd=5 addr=127.0.0.1:80 local=127.0.0.1:40000 remote=127.0.0.1:80"},
		{"pipe reads both fds", rawRec{tid: 7, pid: 7, typ: "pipe", blobs: [][]byte{{3, 0, 0, 0, 4, 0, 0, 0}}},
			"0 1000000000 cpu=0 tid=7 pid=7 < pipe res=0 fd1=3 fd2=4"},
		{"a failed read keeps no data", rawRec{ret: -9, tid: 7, pid: 7, typ: "read", args: []uint64{99, 0, 16}, blobs: [][]byte{nil}},
			"0 1000000000 cpu=0 tid=7 pid=7 < read res=-9 fd=99 data= size=16"},
		{"prctl keeps the name only for PR_SET_NAME", rawRec{tid: 7, pid: 7, typ: "prctl", args: []uint64{4, 1}, blobs: [][]byte{[]byte("junk")}},
			"0 1000000000 cpu=0 tid=7 pid=7 < prctl res=0 option=PR_SET_DUMPABLE arg2=0x1 name="},
		{"recvmsg keeps the fds passed with SCM_RIGHTS", rawRec{ret: 2, tid: 7, pid: 7, typ: "recvmsg", args: []uint64{4},
			blobs: [][]byte{nil, []byte("fd"), cmsgRights(9, 10)}},
			"0 1000000000 cpu=0 tid=7 pid=7 < recvmsg res=2 fd=4 data=fd size=2 addr=NULL fds=\t...\n... addr_src=CALLER"},
		{"sendto with an address keeps the caller's", rawRec{ret: 2, tid: 7, pid: 7, typ: "sendto", args: []uint64{4, 0, 2},
			blobs: [][]byte{[]byte("hi"), sockaddrIn(53, lo)}},
			"0 1000000000 cpu=0 tid=7 pid=7 < sendto res=2 fd=4 data=hi size=2 addr=127.0.0.1:53 addr_src=CALLER"},
		{"sendto on a connected socket takes its peer and says so", rawRec{ret: 2, tid: 7, pid: 7, typ: "sendto", args: []uint64{4, 0, 2},
			blobs: [][]byte{[]byte("hi"), sockaddrIn(80, lo)}, peer: 2},
			"0 1000000000 cpu=0 tid=7 pid=7 < sendto res=2 fd=4 data=hi size=2 addr=127.0.0.1:80 addr_src=SOCKET"},
		{"recvfrom on a connected IPv6 socket takes its peer", rawRec{ret: 2, tid: 7, pid: 7, typ: "recvfrom", args: []uint64{4, 0, 64},
			blobs: [][]byte{[]byte("hi"), sockaddrIn6(443, [16]byte{15: 1})}, peer: 2},
			"0 1000000000 cpu=0 tid=7 pid=7 < recvfrom res=2 fd=4 data=hi size=64 addr=[::1]:443 addr_src=SOCKET"},
		{"sendmsg on a connected unix socket takes the peer's path", rawRec{ret: 2, tid: 7, pid: 7, typ: "sendmsg", args: []uint64{4},
			blobs: [][]byte{sockaddrUn("/run/x.sock"), []byte("hi"), nil}, peer: 1},
			"0 1000000000 cpu=0 tid=7 pid=7 < sendmsg res=2 fd=4 data=hi size=2 addr=/run/x.sock addr_src=SOCKET"},
		{"open_by_handle_at has the opened path, the mount's path and the handle", rawRec{ret: 5, tid: 7, pid: 7, typ: "open_by_handle_at",
			args:  []uint64{3, 0, 0},
			blobs: [][]byte{[]byte("/tmp/d/f"), []byte("/tmp"), fileHandle(1, []byte("ABCDEFGH")), u64s(0x00800001, 99)}},
			"0 1000000000 cpu=0 tid=7 pid=7 < open_by_handle_at res=5 mountfd=3 flags=O_RDONLY path=/tmp/d/f mountpath=/tmp handle_type=1 handle=ABCDEFGH dev=2049 ino=99"},
		{"name_to_handle_at has the handle it wrote and the mount id", rawRec{tid: 7, pid: 7, typ: "name_to_handle_at",
			args:  []uint64{0xffffff9c, 0, 0, 0, 0},
			blobs: [][]byte{[]byte("/tmp/d/f"), fileHandle(1, []byte("ABCDEFGH")), {31, 0, 0, 0}}},
			"0 1000000000 cpu=0 tid=7 pid=7 < name_to_handle_at res=0 dirfd=-100 path=/tmp/d/f flags=0 handle_type=1 handle=ABCDEFGH mount_id=31"},
		{"exit_group recorded at its enter", rawRec{tid: 7, pid: 7, typ: "exit_group", flags: event.FlagEnter, args: []uint64{0xffffffff}},
			"0 1000000000 cpu=0 tid=7 pid=7 > exit_group res=0 status=-1"},
		{"a generic syscall keeps its raw arguments", rawRec{tid: 7, pid: 7, typ: "brk", args: []uint64{0x1000}},
			"0 1000000000 cpu=0 tid=7 pid=7 < brk res=0 brk=0x1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e event.Event
			if err := d.decode(tt.rec.bytes(), &e); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, e.String()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestDecodeRefusesMalformedRecords(t *testing.T) {
	d := newTestDecoder(t)
	good := rawRec{tid: 7, pid: 7, typ: "openat", args: []uint64{0, 0, 0, 0}, blobs: [][]byte{[]byte("/x"), u64s(1, 2)}}.bytes()
	tests := []struct {
		name string
		rec  []byte
	}{
		{"shorter than a header", good[:20]},
		{"arguments cut", good[:40]},
		{"a blob past the end", good[:len(good)-3]},
		{"fewer blobs than the type has", rawRec{typ: "openat", args: []uint64{0, 0, 0, 0}, blobs: [][]byte{[]byte("/x")}}.bytes()},
		{"an unknown type number", append(append([]byte{}, good[:24]...), append([]byte{0xff, 0xff}, good[26:]...)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e event.Event
			if err := d.decode(tt.rec, &e); !errors.Is(err, ErrRecord) {
				t.Errorf("decode: %v, want ErrRecord", err)
			}
		})
	}
}

func TestSpecTableDecodesEverySchemaParameter(t *testing.T) {
	table, err := newSpecTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range event.All() {
		if !in.IsSyscall() && in.Type != event.TypeProcFork && in.Type != event.TypeProcExit {
			continue
		}
		p := table.plans[in.Type]
		if len(p.params) != len(in.Params) {
			t.Errorf("%s: plan fills %d parameters, the schema has %d", in.Name, len(p.params), len(in.Params))
		}
		if table.kernel[in.Type].Enabled != 1 {
			t.Errorf("%s: not enabled", in.Name)
		}
	}
}

// FuzzDecode feeds arbitrary records to the decoder: it must return an error or an
// event, never panic.
func FuzzDecode(f *testing.F) {
	d := newTestDecoder(f)
	f.Add(rawRec{typ: "getppid"}.bytes())
	f.Add(rawRec{typ: "openat", args: []uint64{0, 0, 0, 0}, blobs: [][]byte{[]byte("/x"), u64s(1, 2)}}.bytes())
	f.Add(rawRec{typ: "execve", blobs: [][]byte{make([]byte, execInfoSize), []byte("/bin/true"), []byte("true\x00"), nil, []byte("/usr/bin/true"), []byte("/")}}.bytes())
	f.Add(rawRec{typ: "accept4", args: []uint64{3, 0}, blobs: [][]byte{{1, 0, 3, 0, 0, 0, 0, 0}}}.bytes())
	f.Add(rawRec{typ: "sendto", args: []uint64{4, 0, 2}, blobs: [][]byte{[]byte("hi"), sockaddrIn6(443, [16]byte{15: 1})}, peer: 2}.bytes())
	f.Add(rawRec{typ: "recvmsg", args: []uint64{4}, blobs: [][]byte{sockaddrUn("\x00abstract"), []byte("hi"), cmsgRights(3)}, peer: 1}.bytes())
	f.Add(rawRec{typ: "open_by_handle_at", args: []uint64{3, 0, 0}, blobs: [][]byte{[]byte("/x"), []byte("/"), fileHandle(1, []byte{1, 2}), u64s(1, 2)}}.bytes())
	f.Add(rawRec{typ: "open_by_handle_at", args: []uint64{3, 0, 0}, blobs: [][]byte{nil, nil, {1, 2, 3}, nil}}.bytes())
	f.Fuzz(func(t *testing.T, rec []byte) {
		var e event.Event
		if d.decode(rec, &e) == nil {
			_ = e.String()
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	d := newTestDecoder(b)
	recs := map[string][]byte{
		"getppid": rawRec{ts: 5, ret: 41, tid: 42, pid: 41, typ: "getppid"}.bytes(),
		"openat": rawRec{ret: 3, tid: 7, pid: 7, typ: "openat", args: []uint64{0xffffff9c, 0, 0x80241, 0o640},
			blobs: [][]byte{[]byte("/usr/lib/x86_64-linux-gnu/libc.so.6"), u64s(0x00800001, 99)}}.bytes(),
		"read": rawRec{ret: 256, tid: 7, pid: 7, typ: "read", args: []uint64{3, 0, 4096}, blobs: [][]byte{make([]byte, 256)}}.bytes(),
	}
	for name, rec := range recs {
		b.Run(name, func(b *testing.B) {
			var e event.Event
			b.ReportAllocs()
			b.SetBytes(int64(len(rec)))
			for b.Loop() {
				if err := d.decode(rec, &e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
