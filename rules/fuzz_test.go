package rules

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader and compiles what loads: either may
// reject them, neither may panic.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("default", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(baseRule + "  exceptions:\n    - name: e\n      fields: [a.b]\n      values: [[x]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := NewLoader()
		if err := l.Load("fuzz.yaml", data); err != nil {
			return
		}
		rs := l.Ruleset()
		for _, r := range rs.Rules {
			_ = r.FullCondition().String()
		}
		for _, x := range rs.Lists {
			rs.ListItems(x.Name)
		}
		_, _ = Compile(rs, Options{SkipUnknown: true, AllMatches: true})
	})
}
