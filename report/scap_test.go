package report

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// scapCapture writes a minimal sysdig/Falco capture (the block layout of libscap's
// writer: section header, machine info, one process, then events): sh (pid 100)
// opens /tmp/x for writing, creating it.
func scapCapture(t *testing.T) string {
	le16 := func(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
	le32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	le64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	lstr := func(s string) []byte { return append(le16(uint16(len(s))), s...) }
	cat := func(p ...[]byte) []byte { return bytes.Join(p, nil) }
	var b bytes.Buffer
	block := func(typ uint32, body []byte) {
		n := 12 + (len(body)+3)&^3
		b.Write(cat(le32(typ), le32(uint32(n)), body, make([]byte, n-12-len(body)), le32(uint32(n))))
	}
	const t0 = uint64(reporttestBase + 1e9)
	block(0x0A0D0D0A, cat(le32(0x1A2B3C4D), le16(1), le16(2), le64(^uint64(0)))) // section header
	name := make([]byte, 128)
	copy(name, "scaphost")
	block(0x201, cat(le32(2), le64(1<<30), le64(32768), name, le64(0), le64(0), le64(0), le64(0))) // machine
	proc := cat(le64(100), le64(100), le64(1), le64(0), le64(0), lstr("sh"), lstr("sh"), lstr("/bin/sh"),
		lstr("-c\x00x\x00"), lstr("/root"), le64(1024), le32(0), le32(0), le32(0), le32(0), le32(0), le32(0),
		le64(0), le64(0), lstr(""), le64(100), le64(100), lstr(""), lstr("/"), le32(0))
	block(0x215, cat(le32(uint32(4+len(proc))), proc)) // process list, version 9
	ev := func(ts uint64, typ uint16, params ...[]byte) {
		var lens, vals []byte
		for _, p := range params {
			lens, vals = append(lens, le16(uint16(len(p)))...), append(vals, p...)
		}
		total := 26 + len(lens) + len(vals)
		block(0x216, cat(le16(1), le64(ts), le64(100), le32(uint32(total)), le16(typ), le32(uint32(len(params))), lens, vals))
	}
	ev(t0, 2, []byte("/tmp/x\x00"), le32(2|4), le32(0o644))                                   // open enter
	ev(t0+10, 3, le64(5), []byte("/tmp/x\x00"), le32(2|4), le32(0o644), le32(0x801), le64(9)) // open exit: fd 5
	path := filepath.Join(t.TempDir(), "capture.scap")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// reporttestBase is reporttest.Base, as an untyped constant for the capture's times.
const reporttestBase = 1795759200e9

func TestReportsReadSysdigCaptures(t *testing.T) {
	hosts := open(t, scapCapture(t))
	if len(hosts) != 1 || hosts[0].Name != "scaphost" {
		t.Fatalf("hosts = %d, first %q: want the capture's machine, scaphost", len(hosts), hosts[0].Name)
	}
	got := string(runTimeline(t, hosts, Options{}, "text"))
	want := "2026-11-27T06:00:01.000000Z  scaphost  File Create             sh[100] opened /tmp/x for writing (O_WRONLY|O_CREAT), no write\n"
	if got != want {
		t.Errorf("timeline of the capture:\n got %q\nwant %q", got, want)
	}
}
