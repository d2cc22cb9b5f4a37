package query

import "testing"

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pat, s string
		fold   bool
		want   bool
	}{
		{"*", "", false, true},
		{"*", "/etc/passwd", false, true},
		{"/etc/*", "/etc/ssh/sshd_config", false, true}, // * crosses slashes, as Falco's glob
		{"/etc/*.conf", "/etc/ld.so.conf", false, true},
		{"/etc/*.conf", "/etc/ld.so.conf.d", false, false},
		{"*a*b*c", "xxaxxbxxc", false, true},
		{"*a*b*c", "xxaxxcxxb", false, false},
		{"?", "ab", false, false},
		{"a?c", "abc", false, true},
		{"[a-c]x", "bx", false, true},
		{"[a-c]x", "dx", false, false},
		{"[!a-c]x", "dx", false, true},
		{"[^a-c]x", "ax", false, false},
		{"[]a]", "]", false, true},
		{`\*x`, "*x", false, true},
		{`\*x`, "ax", false, false},
		{"*.pem", "KEY.PEM", false, false},
		{"*.pem", "KEY.PEM", true, true},
		{"[a-z]*", "Zed", true, true},
	}
	for _, tt := range tests {
		pat := tt.pat
		if tt.fold {
			pat = lowered([]string{pat})[0]
		}
		if got := globMatch(pat, tt.s, tt.fold); got != tt.want {
			t.Errorf("glob %q on %q (fold %v) = %v, want %v", tt.pat, tt.s, tt.fold, got, tt.want)
		}
	}
}

func TestCheckGlob(t *testing.T) {
	for pat, bad := range map[string]bool{"a[b": true, `a\`: true, "a[]": true, "[a]": false, `\[`: false, "[]]": false} {
		if err := checkGlob(pat); (err != nil) != bad {
			t.Errorf("checkGlob(%q) = %v, want error %v", pat, err, bad)
		}
	}
}

func TestAppendJoin(t *testing.T) {
	tests := []struct{ base, rel, want string }{
		{"/home/alice", "notes.txt", "/home/alice/notes.txt"},
		{"/home/alice", "./a/../b", "/home/alice/b"},
		{"/home/alice", "../../../../etc/passwd", "/etc/passwd"},
		{"/", "x", "/x"},
		{"/home/", "x//y/", "/home/x/y"},
		{"/a", "..", "/"},
	}
	for _, tt := range tests {
		if got := string(appendJoin(nil, tt.base, []byte(tt.rel))); got != tt.want {
			t.Errorf("join %q %q = %q, want %q", tt.base, tt.rel, got, tt.want)
		}
	}
}
