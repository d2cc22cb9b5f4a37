package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// load loads each file in order, named a.yaml, b.yaml, ..., and fails on error.
func load(t *testing.T, files ...string) *Ruleset {
	t.Helper()
	l := NewLoader()
	for i, f := range files {
		if err := l.Load(string(rune('a'+i))+".yaml", []byte(f)); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	return l.Ruleset()
}

func TestListsAreDefinedAppendedAndOverridden(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		list  string
		want  []string
	}{
		{"a list keeps its items as written", []string{`
- list: shells
  items: [bash, sh, '"(systemd)"', 80]
`}, "shells", []string{"bash", "sh", `"(systemd)"`, "80"}},
		{"an item naming an earlier list stands for its items", []string{`
- list: shells
  items: [bash, sh]
- list: interpreters
  items: [shells, python]
`}, "interpreters", []string{"bash", "sh", "python"}},
		{"append: true adds items, in a later file too", []string{`
- list: shells
  items: [bash]
`, `
- list: shells
  items: [zsh]
  append: true
`}, "shells", []string{"bash", "zsh"}},
		{"override append adds items", []string{`
- list: shells
  items: [bash]
- list: shells
  items: [zsh]
  override:
    items: append
`}, "shells", []string{"bash", "zsh"}},
		{"override replace swaps the items", []string{`
- list: shells
  items: [bash]
- list: shells
  items: [zsh]
  override:
    items: replace
`}, "shells", []string{"zsh"}},
		{"a second definition replaces the first", []string{`
- list: shells
  items: [bash]
- list: shells
  items: [fish]
`}, "shells", []string{"fish"}},
		{"a list naming itself keeps the name", []string{`
- list: loop
  items: [loop, x]
`}, "loop", []string{"loop", "x"}},
		{"an empty list is allowed", []string{`
- list: none
  items: []
`}, "none", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := load(t, tt.files...)
			got, ok := rs.ListItems(tt.list)
			if !ok {
				t.Fatalf("list %q not loaded", tt.list)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" && !(len(tt.want) == 0 && len(got) == 0) {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMacrosAreDefinedAppendedAndOverridden(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"a macro keeps its condition", []string{`
- macro: m
  condition: proc.name = sh
`}, "proc.name = sh"},
		{"append: true joins conditions with a space", []string{`
- macro: m
  condition: proc.name = sh
`, `
- macro: m
  condition: or proc.name = bash
  append: true
`}, "proc.name = sh or proc.name = bash"},
		{"override append joins conditions", []string{`
- macro: m
  condition: proc.name = sh
- macro: m
  condition: and user.uid = 0
  override:
    condition: append
`}, "proc.name = sh and user.uid = 0"},
		{"override replace swaps the condition", []string{`
- macro: m
  condition: proc.name = sh
- macro: m
  condition: (never_true)
  override:
    condition: replace
`}, "(never_true)"},
		{"a folded condition is kept as YAML folds it", []string{`
- macro: m
  condition: >
    proc.name = sh
    and user.uid = 0
`}, "proc.name = sh and user.uid = 0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := load(t, tt.files...)
			m, ok := rs.Macro("m")
			if !ok {
				t.Fatal("macro m not loaded")
			}
			if diff := cmp.Diff(tt.want, m.Condition.String()); diff != "" {
				t.Errorf("condition (-want +got):\n%s", diff)
			}
		})
	}
}

const baseRule = `
- rule: Shell
  desc: a shell ran
  condition: proc.name = sh
  output: shell %proc.name
  priority: WARNING
  tags: [process]
`

// ruleView is what the rule tests compare: the rule as a user sees it.
type ruleView struct {
	Name, Desc, Condition, Output, Priority string
	Tags                                    []string
	Enabled, SkipUnknown                    bool
}

func viewRule(r *Rule) ruleView {
	return ruleView{r.Name, r.Desc, r.FullCondition().String(), r.Output, r.Priority.String(),
		r.Tags, r.Enabled, r.SkipIfUnknownFilter}
}

func TestRulesAreDefinedAppendedAndOverridden(t *testing.T) {
	base := ruleView{"Shell", "a shell ran", "proc.name = sh", "shell %proc.name", "Warning", []string{"process"}, true, false}
	with := func(f func(*ruleView)) ruleView {
		v := base
		v.Tags = append([]string(nil), base.Tags...)
		f(&v)
		return v
	}
	tests := []struct {
		name  string
		files []string
		want  ruleView
	}{
		{"a rule keeps every key", []string{baseRule}, base},
		{"priority is read in any case and info is informational", []string{strings.Replace(baseRule, "WARNING", "info", 1)},
			with(func(v *ruleView) { v.Priority = "Informational" })},
		{"enabled false and skip-if-unknown-filter are kept", []string{baseRule + "  enabled: false\n  skip-if-unknown-filter: true\n"},
			with(func(v *ruleView) { v.Enabled = false; v.SkipUnknown = true })},
		{"append: true joins the condition", []string{baseRule, `
- rule: Shell
  condition: and user.uid = 0
  append: true
`}, with(func(v *ruleView) { v.Condition = "proc.name = sh and user.uid = 0" })},
		{"override appends to condition, output, desc and tags", []string{baseRule, `
- rule: Shell
  condition: and user.uid = 0
  output: (uid=%user.uid)
  desc: as root
  tags: [root]
  override:
    condition: append
    output: append
    desc: append
    tags: append
`}, with(func(v *ruleView) {
			v.Condition = "proc.name = sh and user.uid = 0"
			v.Output = "shell %proc.name (uid=%user.uid)"
			v.Desc = "a shell ran as root"
			v.Tags = []string{"process", "root"}
		})},
		{"override replaces priority, enabled, tags and condition", []string{baseRule, `
- rule: Shell
  priority: critical
  enabled: false
  tags: [t1]
  condition: proc.name = bash
  override:
    priority: replace
    enabled: replace
    tags: replace
    condition: replace
`}, with(func(v *ruleView) {
			v.Priority, v.Enabled, v.Tags, v.Condition = "Critical", false, []string{"t1"}, "proc.name = bash"
		})},
		{"a rule item with only enabled switches the rule", []string{baseRule, `
- rule: Shell
  enabled: false
`}, with(func(v *ruleView) { v.Enabled = false })},
		{"a second definition replaces the first", []string{baseRule, strings.Replace(baseRule, "proc.name = sh", "proc.name = zsh", 1)},
			with(func(v *ruleView) { v.Condition = "proc.name = zsh" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := load(t, tt.files...)
			if len(rs.Rules) != 1 {
				t.Fatalf("got %d rules, want 1", len(rs.Rules))
			}
			if diff := cmp.Diff(tt.want, viewRule(rs.Rules[0])); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExceptionsBecomeConditions(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"tuples of several fields default to =", []string{baseRule + `
  exceptions:
    - name: known
      fields: [proc.pname, fd.name]
      values:
        - [cron, /etc/shadow]
        - [sshd, /etc/passwd]
`}, "( proc.name = sh ) and not ( ((proc.pname = cron and fd.name = /etc/shadow) or (proc.pname = sshd and fd.name = /etc/passwd)) )"},
		{"a single field defaults to in and may name a list", []string{`
- list: admins
  items: [ansible, salt]
` + baseRule + `
  exceptions:
    - name: admin
      fields: proc.pname
      values: [admins, puppet]
`}, "( proc.name = sh ) and not ( (proc.pname in (admins, puppet)) )"},
		{"comps are used per field and list values are parenthesised", []string{baseRule + `
  exceptions:
    - name: tmp
      fields: [fd.name, proc.pname]
      comps: [startswith, in]
      values:
        - [/tmp/, [make, "gcc wrapper"]]
        - [/var/tmp/, known_builders]
`}, `( proc.name = sh ) and not ( ((fd.name startswith /tmp/ and proc.pname in (make, "gcc wrapper")) or (fd.name startswith /var/tmp/ and proc.pname in (known_builders))) )`},
		{"an exception without values adds nothing", []string{baseRule + `
  exceptions:
    - name: empty
      fields: [proc.pname]
`}, "proc.name = sh"},
		{"append: true adds values to an exception of the same name and new exceptions", []string{baseRule + `
  exceptions:
    - name: known
      fields: [proc.pname]
      values: [[cron]]
`, `
- rule: Shell
  append: true
  exceptions:
    - name: known
      values: [[sshd]]
    - name: user
      fields: user.name
      comps: =
      values: [root, admin]
`}, "( proc.name = sh ) and not ( ((proc.pname = cron) or (proc.pname = sshd)) or ((user.name = root or user.name = admin)) )"},
		{"override replace swaps the exceptions", []string{baseRule + `
  exceptions:
    - name: known
      fields: [proc.pname]
      values: [[cron]]
`, `
- rule: Shell
  exceptions:
    - name: other
      fields: [user.name]
      values: [[root]]
  override:
    exceptions: replace
`}, "( proc.name = sh ) and not ( ((user.name = root)) )"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := load(t, tt.files...)
			if diff := cmp.Diff(tt.want, rs.Rules[0].FullCondition().String()); diff != "" {
				t.Errorf("condition (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRequirementsAndOtherSourcesAreReported(t *testing.T) {
	rs := load(t, `
- required_engine_version: 0.31.0
- required_plugin_versions:
    - name: k8saudit
      version: 0.7.0
      alternatives:
        - name: k8saudit-eks
          version: 0.4.0
- rule: Audit
  desc: k8s
  condition: ka.verb = create
  output: x
  priority: INFO
  source: k8s_audit
- rule: Audit
  condition: and ka.user.name = admin
  append: true
- macro: m
  condition: proc.name = sh
  flavour: strawberry
---
- rule: Second document
  desc: d
  condition: m
  output: o
  priority: debug
`)
	got := struct {
		Engine   []string
		Plugins  []string
		Rules    []string
		Warnings []string
	}{}
	for _, r := range rs.EngineVersions {
		got.Engine = append(got.Engine, r.Version+" at "+r.Pos.String())
	}
	for _, p := range rs.Plugins {
		got.Plugins = append(got.Plugins, p.Name+" "+p.Version)
		for _, a := range p.Alternatives {
			got.Plugins = append(got.Plugins, "or "+a.Name+" "+a.Version)
		}
	}
	for _, r := range rs.Rules {
		got.Rules = append(got.Rules, r.Name)
	}
	for _, w := range rs.Warnings {
		got.Warnings = append(got.Warnings, w.String())
	}
	want := struct {
		Engine   []string
		Plugins  []string
		Rules    []string
		Warnings []string
	}{
		Engine:  []string{"0.31.0 at a.yaml:2:3"},
		Plugins: []string{"k8saudit 0.7.0", "or k8saudit-eks 0.4.0"},
		Rules:   []string{"Second document"},
		Warnings: []string{
			`a.yaml:9:3: rule "Audit": source "k8s_audit" is not evaluated by syscam; rule skipped`,
			`a.yaml:20:3: macro "m": unknown key "flavour" ignored`,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ruleset (-want +got):\n%s", diff)
	}
}

func TestBadFilesAreRejectedWithThePlace(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"not yaml", []string{"- rule: [\n"}, "a.yaml:1: parse yaml: did not find expected node content"},
		// yaml.v3 reports these on the line before the '[' (a 0-based line).
		{"a flow sequence never closed", []string{"- list: a\n  items: [x]\n- rule: z\n  desc: d\n  output: o\n\n  tags: [unclosed\n  condition: c\n"},
			"a.yaml:7: parse yaml: did not find expected ',' or ']'"},
		{"a flow sequence never closed, last", []string{"- rule: z\n  desc: [unclosed\n"}, "a.yaml:2: parse yaml: did not find expected ',' or ']'"},
		{"a quoted string never closed", []string{"- list: a\n  items: [x]\n- rule: z\n  desc: \"x\n  output: o\n"}, "a.yaml:4: parse yaml: found unexpected end of stream"},
		{"a second document not yaml", []string{"- list: a\n  items: [x]\n---\n- list: b\n  items: {x\n"}, "a.yaml:5: parse yaml: did not find expected ',' or '}'"},
		{"top level is not a sequence", []string{"rule: x\n"}, `a.yaml:1:1: rules file: want a sequence of items (- rule: ..., - macro: ..., - list: ...), got a mapping`},
		{"an item of no known kind", []string{"- foo: bar\n"}, "a.yaml:1:3: item has none of the keys rule, macro, list, required_engine_version, required_plugin_versions"},
		{"an item of two kinds", []string{"- list: a\n  macro: b\n"}, "a.yaml:1:3: item has more than one of the keys [macro list]"},
		{"an item that is not a mapping", []string{"- just text\n"}, `a.yaml:1:3: item: want a mapping, got "just text"`},
		{"a duplicate key", []string{"- list: a\n  items: []\n  items: [b]\n"}, `a.yaml:3:3: list "a": duplicate key "items"`},
		{"list items not a sequence", []string{"- list: a\n  items: b\n"}, `a.yaml:2:10: list "a": items: want a sequence, got "b"`},
		{"list item not a scalar", []string{"- list: a\n  items: [[b]]\n"}, `a.yaml:2:11: list "a": items: want a string item, got a sequence`},
		{"list without items", []string{"- list: a\n"}, `a.yaml:1:3: list "a": missing key "items"`},
		{"append to an unknown list", []string{"- list: a\n  items: [x]\n  append: true\n"}, `a.yaml:1:3: list "a": append: true but no list of that name was defined before`},
		{"override of an unknown macro", []string{"- macro: m\n  condition: x\n  override:\n    condition: append\n"}, `a.yaml:1:3: macro "m": override but no macro of that name was defined before`},
		{"append with override", []string{"- macro: m\n  condition: x\n  append: true\n  override:\n    condition: append\n"},
			`a.yaml:4:3: macro "m": append: true and override cannot be used together; write the key under override with append`},
		{"override with a bad mode", []string{"- list: a\n  items: []\n- list: a\n  items: [x]\n  override:\n    items: merge\n"},
			`a.yaml:6:12: list "a": override: key "items": want append or replace, got "merge"`},
		{"override of a key that cannot be appended", []string{baseRule, "- rule: Shell\n  priority: debug\n  override:\n    priority: append\n"},
			`b.yaml:4:15: rule "Shell": override: key "priority" cannot be appended (appendable: [condition output desc tags exceptions])`},
		{"override of a missing key", []string{baseRule, "- rule: Shell\n  desc: x\n  override:\n    desc: append\n    output: replace\n"},
			`b.yaml:5:13: rule "Shell": override: key "output" has no value in this item`},
		{"a key left out of override", []string{baseRule, "- rule: Shell\n  desc: x\n  output: y\n  override:\n    desc: append\n"},
			`b.yaml:3:3: rule "Shell": key "output" needs an entry in override (append or replace)`},
		{"a rule without output", []string{"- rule: R\n  desc: d\n  condition: c\n  priority: info\n"}, `a.yaml:1:3: rule "R": missing key "output"`},
		{"a rule with a bad priority", []string{"- rule: R\n  desc: d\n  condition: c\n  output: o\n  priority: loud\n"},
			`a.yaml:5:13: rule "R": unknown priority "loud" (want emergency, alert, critical, error, warning, notice, informational, info or debug)`},
		{"a rule with a bad enabled", []string{"- rule: R\n  enabled: maybe\n"}, `a.yaml:2:12: rule "R": enabled: want true or false, got "maybe"`},
		{"enabled alone for an unknown rule", []string{"- rule: R\n  enabled: false\n"}, `a.yaml:1:3: rule "R": enabled alone but no rule of that name was defined before`},
		{"append of nothing", []string{baseRule, "- rule: Shell\n  append: true\n"}, `b.yaml:1:3: rule "Shell": append: true needs a condition or exceptions to append`},
		{"an exception without a name", []string{baseRule + "  exceptions:\n    - fields: [proc.name]\n"}, `a.yaml:9:7: rule "Shell": exception: missing key "name"`},
		{"an exception without fields", []string{baseRule + "  exceptions:\n    - name: e\n      values: [[a]]\n"}, `a.yaml:9:7: rule "Shell": exception "e": missing key "fields"`},
		{"an exception with too few comps", []string{baseRule + "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n      comps: [=]\n"},
			`a.yaml:9:7: rule "Shell": exception "e": 2 fields but 1 comps`},
		{"an exception with an unknown comp", []string{baseRule + "  exceptions:\n    - name: e\n      fields: [a.b]\n      comps: [like]\n"},
			`a.yaml:9:7: rule "Shell": exception "e": unknown comparison operator "like"`},
		{"an exception tuple of the wrong size", []string{baseRule + "  exceptions:\n    - name: e\n      fields: [a.b, c.d]\n      values: [[x]]\n"},
			`a.yaml:11:16: rule "Shell": exception "e": each value must be a sequence of 2 items, one per field`},
		{"an exception defined twice", []string{baseRule + "  exceptions:\n    - name: e\n      fields: a.b\n    - name: e\n      fields: a.b\n"},
			`a.yaml:11:7: rule "Shell": exception "e" defined twice`},
		{"an exception with an unknown key", []string{baseRule + "  exceptions:\n    - name: e\n      field: a.b\n"},
			`a.yaml:10:7: rule "Shell": exception: unknown key "field"`},
		{"an appended exception with other fields", []string{baseRule + "  exceptions:\n    - name: e\n      fields: [a.b]\n",
			"- rule: Shell\n  append: true\n  exceptions:\n    - name: e\n      fields: [c.d]\n      values: [[x]]\n"},
			`b.yaml:4:7: rule "Shell": exception "e": appended fields [c.d] differ from the defined [a.b]`},
		{"a plugin requirement without version", []string{"- required_plugin_versions:\n    - name: json\n"},
			`a.yaml:2:7: required_plugin_versions: plugin "json": missing key "version"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLoader()
			var err error
			for i, f := range tt.files {
				if err = l.Load(string(rune('a'+i))+".yaml", []byte(f)); err != nil {
					break
				}
			}
			if err == nil {
				t.Fatalf("load succeeded, want error %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadKeepsGoingAfterABadItem(t *testing.T) {
	l := NewLoader()
	err := l.Load("a.yaml", []byte("- list: a\n- list: b\n  items: [x]\n- macro: m\n"))
	want := "a.yaml:1:3: list \"a\": missing key \"items\"\na.yaml:4:3: macro \"m\": missing key \"condition\""
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if _, ok := l.Ruleset().ListItems("b"); !ok {
		t.Error("list b, between the bad items, was not loaded")
	}
}

func TestAliasesCannotExpandWithoutEnd(t *testing.T) {
	var b strings.Builder
	b.WriteString("- list: l0\n  items: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("- list: l" + string(rune('0'+i)) + "\n  items: &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	err := NewLoader().Load("bomb.yaml", []byte(b.String()))
	if err == nil {
		t.Fatal("load of nested aliases succeeded, want an error")
	}
}

func TestListsCannotExpandWithoutEnd(t *testing.T) {
	var b strings.Builder
	b.WriteString("- list: l0\n  items: [x, y]\n")
	for i := 1; i < 30; i++ {
		fmt.Fprintf(&b, "- list: l%d\n  items: [l%d, l%d]\n", i, i-1, i-1)
	}
	err := NewLoader().Load("a.yaml", []byte(b.String()))
	want := `a.yaml:33:3: list "l16": expands to more than 65536 items`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
}
