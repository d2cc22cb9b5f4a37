package query

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse checks that no condition makes the parser or the compiler panic, that every
// error is a *Error pointing inside the text, and that what parses renders to text
// that parses back to the same rendering.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"proc.name = android",
		"evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0",
		"not (a or b) and proc.aname[2] startswith sshd",
		`proc.cmdline contains "a \"quoted\" \x41 word"`,
		"fd.name glob /etc/[a-z]*.conf or fd.name pmatch (/etc, /usr/bin)",
		"evt.arg[0] exists and evt.rawarg.flags > 0x10 and evt.buffer bcontains 4142",
		"evt.rawtime >= 2024-05-01T12:00:00Z and evt.latency > 1.5ms",
		"evt.num < -1 or evt.res != SUCCESS",
		"((a",
		"a ! b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		x, err := Parse(src)
		if err != nil {
			checkPositioned(t, src, err)
			return
		}
		text := x.String()
		y, err := Parse(text)
		if err != nil {
			t.Fatalf("rendering %q of %q does not parse: %v", text, src, err)
		}
		if y.String() != text {
			t.Fatalf("rendering of %q is unstable: %q then %q", src, text, y.String())
		}
		if _, err := CompileExpr(x, src, Options{}); err != nil {
			checkPositioned(t, src, err)
		}
	})
}

func checkPositioned(t *testing.T, src string, err error) {
	t.Helper()
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("%q: error %v is not a *query.Error", src, err)
	}
	if qe.Pos.Line < 1 || qe.Pos.Column < 1 || qe.Pos.Offset > len(qe.Src) {
		t.Fatalf("%q: error %v has position %+v outside the text", src, err, qe.Pos)
	}
	if qe.Macro == "" && qe.Src != src {
		t.Fatalf("%q: error %v names source %q", src, err, qe.Src)
	}
	_ = qe.Caret()
}

// FuzzFormat checks that no output format makes NewFormatter or the rendering panic,
// and that every error points inside the format.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{DefaultFormat, "%{proc.name}:%thread.tid 100%% %fd.name.",
		"%evt.arg[0] %proc.aname[2] %proc.aname %fd.ip", "*%evt.num %{evt.arg.name", "%", "%%%x"} {
		f.Add(s)
	}
	s := newScenario(f)
	in := s.input(f, "read", false)
	f.Fuzz(func(t *testing.T, spec string) {
		fm, err := NewFormatter(spec, nil)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Pos.Line < 1 || qe.Pos.Column < 1 || qe.Pos.Offset > len(spec) {
				t.Fatalf("%q: error %v without a position inside the format", spec, err)
			}
			return
		}
		fm.AppendText(nil, in)
		line := fm.AppendJSON(nil, in)
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%q: JSON %s: %v", spec, line, err)
		}
	})
}
