package query

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChmodModeRendersAsFalcoDoes checks evt.arg.mode: Falco types the mode of chmod,
// fchmod and fchmodat as PT_MODE and renders it by bit name, so rules test
// "evt.arg.mode contains S_ISUID"; open's mode stays octal; evt.rawarg.mode is the
// number for both.
func TestChmodModeRendersAsFalcoDoes(t *testing.T) {
	for _, tc := range []struct {
		name, typ string
		params    map[string]any
		out       string // %evt.arg.mode %evt.rawarg.mode %evt.arg[N] of the mode
		match     []string
		miss      []string
	}{
		{"chmod 04755", "chmod", map[string]any{"path": "/tmp/.sh", "mode": 0o4755},
			"S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID 2541 S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID",
			[]string{"evt.arg.mode contains S_ISUID", "evt.arg[1] contains S_ISUID", "evt.rawarg.mode = 2541", "evt.rawarg.mode > 2047", "evt.arg.mode endswith \"S_IRUSR|S_ISUID\""},
			[]string{"evt.arg.mode contains S_ISGID", "evt.arg.mode = 04755", "evt.arg.mode contains S_IWOTH"}},
		{"fchmod g+s on a directory", "fchmod", map[string]any{"fd": 3, "mode": 0o2770},
			"S_IXGRP|S_IWGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISGID 1528 S_IXGRP|S_IWGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISGID",
			[]string{"evt.arg.mode contains S_ISGID", "evt.arg.mode icontains s_isgid"},
			[]string{"evt.arg.mode contains S_ISUID", "evt.arg.mode contains S_IROTH"}},
		{"fchmodat with one bit, the sticky bit and the file type left out", "fchmodat", map[string]any{"dirfd": -100, "path": "x", "mode": 0o101000},
			"S_ISVTX 33280 S_ISVTX",
			[]string{"evt.arg.mode = S_ISVTX"},
			nil},
		{"chmod 0 prints 0", "chmod", map[string]any{"path": "/etc/shadow", "mode": 0},
			"0 0 0",
			[]string{"evt.arg.mode = 0", "evt.rawarg.mode = 0"},
			[]string{"evt.arg.mode contains S_"}},
		{"open's mode stays octal", "openat", map[string]any{"dirfd": -100, "name": "/tmp/x", "flags": 0o101, "mode": 0o4755},
			"04755 2541 04755",
			[]string{"evt.arg.mode = 04755", "evt.rawarg.mode = 2541"},
			[]string{"evt.arg.mode contains S_ISUID"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mkEvent(t, tc.typ, 10, 10, base, tc.params)
			in := &Input{Event: e}
			pos := e.Info().ParamIndex("mode")
			out, err := NewFormatter("%evt.arg.mode %evt.rawarg.mode %evt.arg["+string(rune('0'+pos))+"]", nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.out, string(out.AppendText(nil, in))); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			for _, cond := range append(tc.match, tc.miss...) {
				f, err := Compile(cond, Options{})
				if err != nil {
					t.Fatalf("%s: %v", cond, err)
				}
				want := slices.Contains(tc.match, cond)
				if got := f.Match(in); got != want {
					t.Errorf("%s = %v, want %v", cond, got, want)
				}
			}
		})
	}
}
