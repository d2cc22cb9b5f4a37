package query

import (
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/google/go-cmp/cmp"
)

type tok struct {
	Type, Value string
}

func lexAll(t *testing.T, src string) ([]tok, error) {
	t.Helper()
	def := newLexer()
	lx, err := def.(lexer.StringDefinition).LexString("", src)
	if err != nil {
		return nil, err
	}
	names := map[lexer.TokenType]string{}
	for name, typ := range def.Symbols() {
		names[typ] = name
	}
	var out []tok
	for {
		tk, err := lx.Next()
		if err != nil {
			return out, err
		}
		if tk.EOF() {
			return out, nil
		}
		out = append(out, tok{names[tk.Type], tk.Value})
	}
}

func TestLexer(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []tok
	}{
		{"a keyword prefix inside a word stays one word", "proc.name = android",
			[]tok{{"Word", "proc.name"}, {"Op", "="}, {"Word", "android"}}},
		{"operators need no spaces around them", "evt.type=open and fd.num>=3",
			[]tok{{"Word", "evt.type"}, {"Op", "="}, {"Word", "open"}, {"Word", "and"},
				{"Word", "fd.num"}, {"Op", ">="}, {"Word", "3"}}},
		{"not-equal is one operator", "a!=b", []tok{{"Word", "a"}, {"Op", "!="}, {"Word", "b"}}},
		{"double equals is one operator", "a==b", []tok{{"Word", "a"}, {"Op", "=="}, {"Word", "b"}}},
		{"field arguments stay with their field", "proc.aname[2] = sshd and evt.arg[0] exists",
			[]tok{{"Word", "proc.aname[2]"}, {"Op", "="}, {"Word", "sshd"}, {"Word", "and"},
				{"Word", "evt.arg[0]"}, {"Word", "exists"}}},
		{"a path argument may hold slashes and stars", "container.mount.dest[/proc*] exists",
			[]tok{{"Word", "container.mount.dest[/proc*]"}, {"Word", "exists"}}},
		{"lists split on commas and parentheses", "evt.type in (open,openat, openat2)",
			[]tok{{"Word", "evt.type"}, {"Word", "in"}, {"Punct", "("}, {"Word", "open"},
				{"Punct", ","}, {"Word", "openat"}, {"Punct", ","}, {"Word", "openat2"}, {"Punct", ")"}}},
		{"quoted strings keep spaces and escapes", `proc.cmdline contains "a \"b\" c" or x = 'it''s'`,
			[]tok{{"Word", "proc.cmdline"}, {"Word", "contains"}, {"String", `"a \"b\" c"`},
				{"Word", "or"}, {"Word", "x"}, {"Op", "="}, {"String", `'it'`}, {"String", `'s'`}}},
		{"an unclosed quote is one token to the end", `proc.name = "bash`,
			[]tok{{"Word", "proc.name"}, {"Op", "="}, {"Unterm", `"bash`}}},
		{"bare values may be paths and globs", "fd.name glob /etc/[a-z]*.conf",
			[]tok{{"Word", "fd.name"}, {"Word", "glob"}, {"Word", "/etc/[a-z]*.conf"}}},
		{"negative numbers are words", "evt.rawres < -1", []tok{{"Word", "evt.rawres"}, {"Op", "<"}, {"Word", "-1"}}},
		{"not before a parenthesis is a keyword word", "not(a)",
			[]tok{{"Word", "not"}, {"Punct", "("}, {"Word", "a"}, {"Punct", ")"}}},
		{"newlines and tabs are spaces", "a\n\tand\r\nb", []tok{{"Word", "a"}, {"Word", "and"}, {"Word", "b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lexAll(t, tt.src)
			if err != nil {
				t.Fatalf("lex %q: %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lex %q (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestLexerRejectsStrayCharacters(t *testing.T) {
	for _, src := range []string{"a ! b", "a = [b", "x ]"} {
		if _, err := lexAll(t, src); err == nil {
			t.Errorf("lex %q: no error, want one", src)
		}
	}
}

func TestLexerConnectionArrow(t *testing.T) {
	got, err := lexAll(t, "fd.name=10.0.0.5:40000->93.184.216.34:443 and fd.num>-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []tok{{"Word", "fd.name"}, {"Op", "="}, {"Word", "10.0.0.5:40000->93.184.216.34:443"},
		{"Word", "and"}, {"Word", "fd.num"}, {"Op", ">"}, {"Word", "-1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
