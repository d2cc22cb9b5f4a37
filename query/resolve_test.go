package query

import (
	"errors"
	"testing"
)

// rulesResolver is a Resolver over macro and list texts, as the rules layer builds one.
type rulesResolver struct {
	macros map[string]string
	lists  map[string][]string
}

func (r rulesResolver) Macro(name string) (Expr, string, bool) {
	src, ok := r.macros[name]
	if !ok {
		return nil, "", false
	}
	x, err := Parse(src)
	if err != nil {
		return nil, "", false
	}
	return x, src, true
}

func (r rulesResolver) List(name string) ([]string, bool) {
	items, ok := r.lists[name]
	return items, ok
}

func TestMacrosAndLists(t *testing.T) {
	res := rulesResolver{
		macros: map[string]string{
			"open_read":       "evt.type in (open, openat, openat2) and evt.is_open_read=true",
			"sensitive_files": "fd.name startswith /etc/shadow or fd.name in (sensitive_file_names)",
			"shell_ancestor":  "proc.aname in (shell_binaries)",
			"loop_a":          "loop_b",
			"loop_b":          "loop_a",
			"bad":             "fd.nme = x",
		},
		lists: map[string][]string{
			"sensitive_file_names": {"/etc/sudoers", "/etc/pam.conf"},
			"shell_binaries":       {"sh", "zsh", "bash_like"},
			"bash_like":            {"bash", "rbash"},
			"self":                 {"self"},
		},
	}
	s := newScenario(t)
	tests := []struct {
		cond, event string
		want        bool
		expanded    string
	}{
		{"open_read and sensitive_files", "open", true,
			"evt.type in (open, openat, openat2) and evt.is_open_read = true and (fd.name startswith /etc/shadow or fd.name in (/etc/sudoers, /etc/pam.conf))"},
		{"shell_ancestor", "open", true, "proc.aname in (sh, zsh, bash, rbash)"},
		{"proc.name in (shell_binaries, curl)", "open", true, "proc.name in (sh, zsh, bash, rbash, curl)"},
		{"proc.name in ('shell_binaries')", "open", false, `proc.name in ("shell_binaries")`},
		{"not open_read", "read", true, "not (evt.type in (open, openat, openat2) and evt.is_open_read = true)"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			f, err := Compile(tt.cond, Options{Resolver: res})
			if err != nil {
				t.Fatal(err)
			}
			if f.String() != tt.expanded {
				t.Errorf("expanded:\n got %s\nwant %s", f, tt.expanded)
			}
			if got := f.Match(s.input(t, tt.event, false)); got != tt.want {
				t.Errorf("match on %s = %v, want %v", tt.event, got, tt.want)
			}
		})
	}
	errs := []struct{ cond, want string }{
		{"loop_a", "in macro loop_b: 1:1: macro loop_a refers to itself"},
		{"evt.num > 0 and bad", "in macro bad: 1:1: unknown field fd.nme (did you mean fd.name?)"},
		{"evt.num > 0 and nosuch", "1:17: unknown macro nosuch"},
		{"proc.name in (self)", "1:15: list self contains itself"},
	}
	for _, tt := range errs {
		_, err := Compile(tt.cond, Options{Resolver: res})
		var qe *Error
		if !errors.As(err, &qe) || qe.Error() != tt.want {
			t.Errorf("compile %q: got %v, want %s", tt.cond, err, tt.want)
		}
	}
}
