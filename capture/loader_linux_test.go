package capture

import (
	"os"
	"testing"
)

// requireBPF skips the test when it cannot load eBPF programs.
func requireBPF(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (or CAP_BPF and CAP_PERFMON) to load eBPF programs")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("needs kernel BTF at /sys/kernel/btf/vmlinux")
	}
}

func TestProbeLoadsAndAttaches(t *testing.T) {
	requireBPF(t)
	table, err := newSpecTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := (&Options{}).withDefaults()
	p, err := loadProbe(&opts, table)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
