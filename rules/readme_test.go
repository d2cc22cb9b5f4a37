package rules

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite default/README.md from the default rules")

// TestDefaultReadmeListsTheRules keeps default/README.md, the table of the shipped
// rules, in step with the YAML files: go test ./rules/ -run Readme -update rewrites it.
func TestDefaultReadmeListsTheRules(t *testing.T) {
	l := NewLoader()
	if err := l.LoadDefault(); err != nil {
		t.Fatal(err)
	}
	got := defaultReadme(l.Ruleset())
	const path = "default/README.md"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s is stale; run go test ./rules/ -run Readme -update (-file +rules):\n%s", path, diff)
	}
}

func defaultReadme(rs *Ruleset) string {
	var b strings.Builder
	b.WriteString(`# syscam's default rules

Written for syscam, in Falco's rules format and with Falco's field names. They run when
'inspect rules' is given no -r, and are embedded in the binary. 00-base.yaml holds the
lists and macros the other files use: append to them (override: items: append) from a
file of your own, loaded after 'default', to tune the set:

    inspect rules -r default -r local.yaml trace.syscam

Each rule has a stream it fires on and a near miss it must not fire on, in
../testdata/default/. This table is generated (go test ./rules/ -run Readme -update).

| Priority | Rule | What it catches | Tags |
|---|---|---|---|
`)
	for _, r := range rs.Rules {
		desc := strings.Join(strings.Fields(r.Desc), " ")
		if i := strings.Index(desc, ". "); i > 0 {
			desc = desc[:i+1]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Priority, r.Name, strings.ReplaceAll(desc, "|", `\|`), strings.Join(r.Tags, ", "))
	}
	fmt.Fprintf(&b, "\n%d rules.\n", len(rs.Rules))
	return b.String()
}
