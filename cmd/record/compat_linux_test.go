package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syscam/syscam/event"
)

// int80 makes five ia32 getpid calls (number 20) through int $0x80 from a 64-bit
// process, then exits: the recorder must not decode them as x86_64 syscall 20 (writev).
const int80 = `int main(void) {
	for (int i = 0; i < 5; i++) {
		long r;
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	}
	return 0;
}
`

func TestRecordCountsIa32SyscallsInsteadOfMisreadingThem(t *testing.T) {
	requireRecorder(t)
	cc, err := exec.LookPath("clang")
	if err != nil {
		t.Skip("needs clang to build an int 0x80 program")
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "int80.c"), filepath.Join(dir, "int80")
	os.WriteFile(src, []byte(int80), 0o644)
	if out, err := exec.Command(cc, "-O1", "-o", bin, src).CombinedOutput(); err != nil {
		t.Skipf("cannot build the int 0x80 program: %v\n%s", err, out)
	}
	names, evs := recordNames(t, "--", bin)
	if names["writev"] != 0 {
		t.Errorf("%d ia32 getpid calls were recorded as writev", names["writev"])
	}
	for _, e := range evs {
		if e.Type == event.TypeNotice && strings.HasPrefix(string(e.Bytes(0)), "5 32-bit (ia32) syscalls were not recorded") {
			return
		}
	}
	t.Errorf("no notice of the 5 ia32 syscalls left out")
}
