package state

import (
	"path"
	"testing"
)

func TestResolve(t *testing.T) {
	e := New(Config{})
	th := &Thread{Proc: &Process{Cwd: "/home/alice"}, Files: &FDTable{}}
	th.Files.set(5, &FD{Type: FDDirectory, Name: "/var/log"}, false)
	tests := []struct {
		name  string
		dirfd int32
		in    string
		want  string
	}{
		{"an absolute path is kept", atFDCWD, "/etc/passwd", "/etc/passwd"},
		{"an absolute path is cleaned", atFDCWD, "/etc//./ssh/../passwd/", "/etc/passwd"},
		{"a relative path joins the cwd", atFDCWD, "notes.txt", "/home/alice/notes.txt"},
		{"dot-dot climbs from the cwd", atFDCWD, "../bob/.ssh/id_rsa", "/home/bob/.ssh/id_rsa"},
		{"dot-dot stops at the root", atFDCWD, "../../../../etc/shadow", "/etc/shadow"},
		{"a dirfd gives the base", 5, "syslog", "/var/log/syslog"},
		{"an empty name is the dirfd itself", 5, "", "/var/log"},
		{"an unknown dirfd is taken as the root", 9, "x/y", "/x/y"},
		{"dots inside names are kept", atFDCWD, "/a/..b/.c/...", "/a/..b/.c/..."},
		{"the root alone", atFDCWD, "/", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.resolve(th, tt.dirfd, []byte(tt.in)); got != tt.want {
				t.Errorf("resolve(%d, %q) = %q, want %q", tt.dirfd, tt.in, got, tt.want)
			}
		})
	}
}

func FuzzResolveMatchesPathClean(f *testing.F) {
	for _, s := range []string{"/etc/passwd", "/a//b/./c/../d/", "/..", "/a/..b/...", "/.", "//"} {
		f.Add(s)
	}
	e := New(Config{})
	th := &Thread{Proc: &Process{Cwd: "/"}, Files: &FDTable{}}
	f.Fuzz(func(t *testing.T, p string) {
		if len(p) == 0 || p[0] != '/' {
			return
		}
		if got, want := e.resolve(th, atFDCWD, []byte(p)), path.Clean(p); got != want {
			t.Errorf("resolve(%q) = %q, path.Clean gives %q", p, got, want)
		}
	})
}
