package capture

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExeHasher measures a first exec (the file read and hashed) and a later one
// (a cache hit: open, fstat, close) of a 16 MiB executable.
func BenchmarkExeHasher(b *testing.B) {
	p := filepath.Join(b.TempDir(), "exe")
	if err := os.WriteFile(p, make([]byte, 16<<20), 0o755); err != nil {
		b.Fatal(err)
	}
	b.Run("miss", func(b *testing.B) {
		b.SetBytes(16 << 20)
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			h := NewExeHasher(ExeHasherConfig{})
			if _, ok := h.Sum(0, p, 0, 0, 0); !ok {
				b.Fatal("no hash")
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("hit", func(b *testing.B) {
		h := NewExeHasher(ExeHasherConfig{})
		h.Sum(0, p, 0, 0, 0)
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if r := h.SumResult(0, p, 0, 0, 0); !r.Cached {
				b.Fatal("not cached")
			}
		}
		reportCPU(b, cpu)
	})
}
