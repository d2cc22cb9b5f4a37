package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRendersCanonicalText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a keyword inside a value is not a keyword", "proc.name = android", "proc.name = android"},
		{"and binds tighter than or", "a or b and c", "a or b and c"},
		{"parentheses around an or inside an and are kept", "(a or b) and c", "(a or b) and c"},
		{"redundant parentheses go", "((a)) and (b and c)", "a and b and c"},
		{"not binds tighter than and", "not a and b", "not a and b"},
		{"not of a group keeps its parentheses", "not (a and b)", "not (a and b)"},
		{"double equals is equals", "evt.num==3", "evt.num = 3"},
		{"lists render with commas", "evt.type in (open,openat ,  openat2)", "evt.type in (open, openat, openat2)"},
		{"an empty list is allowed", "proc.name in ()", "proc.name in ()"},
		{"quoted values stay quoted", `proc.name = 'bash'`, `proc.name = "bash"`},
		{"escapes are decoded and re-encoded", `proc.cmdline contains "a\"b\\c\td"`, `proc.cmdline contains "a\"b\\c\td"`},
		{"hex escapes", `evt.buffer contains "\x41\x00"`, `evt.buffer contains "A\x00"`},
		{"other escapes are kept for regular expressions", `proc.name regex '^\.\d'`, `proc.name regex "^\\.\\d"`},
		{"field arguments", "proc.aname[2] = sshd and evt.arg[0] exists and proc.apid[1] > 1", "proc.aname[2] = sshd and evt.arg[0] exists and proc.apid[1] > 1"},
		{"dotted arguments are part of the name", "evt.arg.name startswith /etc", "evt.arg.name startswith /etc"},
		{"bracket globs are bare values", "fd.name glob /etc/[a-z]*", "fd.name glob /etc/[a-z]*"},
		{"every word operator", "a.b icontains x or a.b bcontains 00 or a.b bstartswith 00 or a.b endswith x or a.b iglob x or a.b regex x or a.b pmatch (/x) or a.b intersects (x)",
			"a.b icontains x or a.b bcontains 00 or a.b bstartswith 00 or a.b endswith x or a.b iglob x or a.b regex x or a.b pmatch (/x) or a.b intersects (x)"},
		{"every symbol operator", "a.b<1 and a.b<=1 and a.b>1 and a.b>=1 and a.b!=1", "a.b < 1 and a.b <= 1 and a.b > 1 and a.b >= 1 and a.b != 1"},
		{"macro references are bare names", "spawned_process and not container", "spawned_process and not container"},
		{"newlines are spaces", "a\nand\n  b", "a and b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("parse %q: %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, x.String()); diff != "" {
				t.Errorf("parse %q (-want +got):\n%s", tt.src, diff)
			}
			y, err := Parse(x.String())
			if err != nil || y.String() != x.String() {
				t.Errorf("rendering %q does not parse back to itself: %v %v", x, y, err)
			}
		})
	}
}

func TestParseTree(t *testing.T) {
	x, err := Parse("not a or proc.aname[2] in (x, 'y')")
	if err != nil {
		t.Fatal(err)
	}
	or, ok := x.(*Or)
	if !ok || len(or.Terms) != 2 {
		t.Fatalf("got %#v, want an Or of two terms", x)
	}
	if n, ok := or.Terms[0].(*Not); !ok || n.X.(*Ref).Name != "a" {
		t.Errorf("first term %s, want not a", or.Terms[0])
	}
	c := or.Terms[1].(*Compare)
	want := FieldRef{At: Position{9, 1, 10}, Name: "proc.aname", Arg: "2", HasArg: true, ArgAt: Position{20, 1, 21}}
	if diff := cmp.Diff(want, c.Field); diff != "" {
		t.Errorf("field (-want +got):\n%s", diff)
	}
	if c.Op != OpIn || len(c.Value.List) != 2 || !c.Value.List[1].Quoted || c.Value.List[1].At.Column != 31 {
		t.Errorf("comparison %#v", c)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // "line:column: message"
		caret     string
	}{
		{"an and with nothing after it", "a and", "1:6: unexpected end of condition", "a and\n     ^"},
		{"an operator without a value", "proc.name =", "1:12: unexpected end of condition", ""},
		{"an unclosed parenthesis", "(a or b", "1:8: unexpected end of condition", ""},
		{"a stray closing parenthesis", "a ) b", `1:3: unexpected ")"`, "a ) b\n  ^"},
		{"a keyword where a name goes", "and b", `1:1: unexpected "and"`, ""},
		{"in without a list", "evt.type in open", "1:13: operator in takes a parenthesised list: (a, b)", "evt.type in open\n            ^"},
		{"equals with a list", "evt.type = (open)", "1:12: operator = takes one value, not a list", ""},
		{"a field without operator", "a and proc.name", "1:16: field proc.name needs an operator", ""},
		{"an unterminated string", `proc.name = "bash`, "1:13: unterminated quoted string", ""},
		{"a short hex escape", `proc.name = "\x4"`, `1:14: escape \x needs two hex digits`, ""},
		{"a malformed argument", "proc.aname[2]x = a", `1:1: malformed field "proc.aname[2]x": want name[argument]`, ""},
		{"an empty condition", "   ", "1:4: empty condition", ""},
		{"a stray character", "a ! b", `1:3: unexpected character '!'`, ""},
		{"an error on the second line", "a and\n  b c", `2:5: unexpected "c"`, "  b c\n    ^"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("parse %q: error %v, want a *query.Error", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, qe.Error()); diff != "" {
				t.Errorf("parse %q (-want +got):\n%s", tt.src, diff)
			}
			if tt.caret != "" {
				if diff := cmp.Diff(tt.caret, qe.Caret()); diff != "" {
					t.Errorf("caret (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParseAcceptsLongFlatConditions(t *testing.T) {
	src := "evt.type = open"
	for range 1000 {
		src += " and not (proc.name = notepad or proc.pname in (nothing, x))"
	}
	if _, err := Parse(src); err != nil {
		t.Errorf("a long flat condition: %v", err)
	}
}

func TestParseRejectsDeepNots(t *testing.T) {
	src := strings.Repeat("not ", 250) + "a"
	_, err := Parse(src)
	var qe *Error
	if !errors.As(err, &qe) || qe.Pos.Column != 801 {
		t.Errorf("got %v, want an error at column 801", err)
	}
}

func TestParseRejectsDeepNesting(t *testing.T) {
	src := ""
	for range 300 {
		src += "("
	}
	_, err := Parse(src + "a")
	var qe *Error
	if !errors.As(err, &qe) || qe.Pos.Column != 201 {
		t.Errorf("got %v, want an error at column 201", err)
	}
}
