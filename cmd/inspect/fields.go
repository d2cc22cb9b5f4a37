package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/syscam/syscam/query"
)

const fieldsHelp = `
Usage: inspect fields [flags] [CLASS|FIELD...]

Lists the fields that filters (-f) and output formats (-p) can use, with their type
and description: the names are Falco's. Give classes (proc, fd) or field names to
narrow the list.

Types: string, bytes (binary buffer), int, bool, abstime (ns since the epoch;
compare with ns or RFC 3339), reltime (ns; compare with ns or 1.5s), ipaddr (compare
with addresses or CIDR networks), dynamic (decided by the argument).

Examples:
  inspect fields
  inspect fields proc fd.name
  inspect fields --markdown > docs/FIELDS.md
`

func runFields(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fields", fieldsHelp, stdout)
	md := fs.Bool("markdown", false, "print docs/FIELDS.md")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	if *md {
		query.WriteFieldsMarkdown(w, query.Builtin())
		return w.Flush()
	}
	n := 0
	for _, f := range query.Builtin().Fields() {
		if !selected(f, fs.Args()) {
			continue
		}
		fmt.Fprintf(w, "%-28s %-8s %s\n", query.FieldSyntax(f), f.Type, f.Desc)
		n++
	}
	if n == 0 {
		return fmt.Errorf("fields: no field matches %s", strings.Join(fs.Args(), " "))
	}
	return w.Flush()
}

func selected(f *query.Field, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if f.Name == w || f.Class() == w || strings.HasPrefix(f.Name, w+".") {
			return true
		}
	}
	return false
}
