package rules

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state/statetest"
)

func compileText(t *testing.T, opt Options, files ...string) (*Engine, error) {
	t.Helper()
	l := NewLoader()
	for i, f := range files {
		if err := l.Load(string(rune('a'+i))+".yaml", []byte(f)); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	return Compile(l.Ruleset(), opt)
}

func events(t *testing.T, text string) []*event.Event {
	t.Helper()
	evs, err := statetest.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

const twoRules = `
- list: editors
  items: [vim, '"my editor"']
- macro: opened
  condition: evt.type in (open, openat) and evt.rawres >= 0
- rule: Etc opened
  desc: d
  condition: opened and fd.name startswith /etc/
  output: "%proc.name opened %fd.name"
  priority: notice
  tags: [fs]
- rule: Passwd opened
  desc: d
  condition: opened and fd.name = /etc/passwd
  output: passwd by %proc.name
  priority: critical
- rule: Editor ran
  desc: d
  condition: evt.type = execve and proc.name in (editors)
  output: editor %proc.name
  priority: info
`

const twoRulesEvents = `
0 1 procinfo ppid=0 comm=systemd exepath=/usr/lib/systemd/systemd argv=/sbin/init cwd=/
1 1 procfork child_tid=10 child_pid=10 comm=systemd
2 10 execve filename=/usr/bin/vim argv="vim /etc/passwd" exepath=/usr/bin/vim comm=vim
3 10 openat ret=3 dirfd=AT_FDCWD name=/etc/passwd flags=O_RDONLY
4 10 openat ret=4 dirfd=AT_FDCWD name=/etc/hosts flags=O_RDONLY
5 10 openat ret=-2 dirfd=AT_FDCWD name=/etc/nope flags=O_RDONLY
6 1 procfork child_tid=11 child_pid=11 comm=systemd
7 11 execve filename="/opt/my editor" argv="x" exepath="/opt/my editor" comm="my editor"
`

func TestEngineReportsTheFirstOrEveryMatchingRule(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want map[string][]uint64
	}{
		{"first match in load order, as Falco", Options{}, map[string][]uint64{
			"Etc opened": {4, 5}, "Editor ran": {3, 8}}},
		{"every matching rule", Options{AllMatches: true}, map[string][]uint64{
			"Etc opened": {4, 5}, "Passwd opened": {4}, "Editor ran": {3, 8}}},
		{"rules below the minimum priority are left out", Options{MinPriority: PriorityNotice}, map[string][]uint64{
			"Etc opened": {4, 5}}},
		{"critical only", Options{MinPriority: PriorityCritical}, map[string][]uint64{
			"Passwd opened": {4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := compileText(t, tt.opt, twoRules)
			if err != nil {
				t.Fatal(err)
			}
			got := fired(eng, events(t, twoRulesEvents))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("alerts by rule (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRulesAreIndexedByTheEventTypesTheyCanMatch(t *testing.T) {
	eng, err := compileText(t, Options{}, `
- macro: spawned
  condition: evt.type in (execve, execveat)
- rule: A
  desc: d
  condition: spawned and not evt.type = execveat
  output: o
  priority: info
- rule: B
  desc: d
  condition: (evt.type = open or evt.type = connect) and proc.name = x
  output: o
  priority: info
- rule: C
  desc: d
  condition: not evt.type in (open, openat) and proc.name = x
  output: o
  priority: info
- rule: D
  desc: d
  condition: proc.name = x or evt.type = open
  output: o
  priority: info
- rule: E
  desc: d
  condition: evt.type = nosuchcall
  output: o
  priority: info
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, cr := range eng.Rules() {
		names := []string{}
		switch {
		case cr.Types == nil:
			names = append(names, "all")
		case len(cr.Types) > 100:
			names = append(names, "all but", len2(cr.Types))
		default:
			for _, ty := range cr.Types {
				names = append(names, event.Lookup(ty).Name)
			}
		}
		got[cr.Name] = names
	}
	all := int(event.MaxType())
	want := map[string][]string{
		"A": {"execve"},
		"B": {"open", "connect"},
		"C": {"all but", strconv.Itoa(all - 2)},
		"D": {"all"},
		"E": {},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event types per rule (-want +got):\n%s", diff)
	}
	warned := warningTexts(eng)
	wantWarn := []string{
		`a.yaml:19:3: rule "D": condition does not restrict evt.type: the rule runs for every event`,
		`a.yaml:24:3: rule "E": condition: unknown event type nosuchcall; syscam records no such event, so that comparison never matches`,
		`a.yaml:24:3: rule "E": condition matches no event type syscam records: the rule never fires`,
	}
	if diff := cmp.Diff(wantWarn, warned); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func len2(ts []event.Type) string { return strconv.Itoa(len(ts)) }

func TestCompileErrorsNameTheFileLineRuleAndColumn(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{"unknown field", `
- rule: R
  desc: d
  condition: evt.type = open and proc.nam = sh
  output: o
  priority: info
`, `a.yaml:4:14: rule "R": condition column 21: unknown field proc.nam (did you mean proc.name?); the rule can say skip-if-unknown-filter: true, or run with --skip-unknown`},
		{"several unknown fields", `
- rule: R
  desc: d
  condition: proc.nmae = sh and ka.verb = get and proc.nmae = x
  output: o
  priority: info
`, `a.yaml:4:14: rule "R": condition column 1: unknown field proc.nmae (did you mean proc.name?); also unknown: ka.verb; the rule can say skip-if-unknown-filter: true, or run with --skip-unknown`},
		{"unknown field inside a macro", `
- macro: m
  condition: fd.nme = /etc/passwd
- rule: R
  desc: d
  condition: evt.type = open and m
  output: o
  priority: info
`, `a.yaml:3:14: macro "m" (used by rule "R"): condition column 1: unknown field fd.nme (did you mean fd.name?); the rule can say skip-if-unknown-filter: true, or run with --skip-unknown`},
		{"syntax error in the condition", `
- rule: R
  desc: d
  condition: evt.type = open and and proc.name = sh
  output: o
  priority: info
`, `a.yaml:4:14: rule "R": condition column 21: unexpected "and"`},
		{"syntax error in an appended condition", `
- rule: R
  desc: d
  condition: evt.type = open
  output: o
  priority: info
- rule: R
  condition: and (proc.name = sh
  append: true
`, `a.yaml:8:14: rule "R": condition column 20: unexpected end of condition`},
		{"bad operator for a field type in a folded condition", `
- rule: R
  desc: d
  condition: |
    evt.type = open and
    fd.num contains 3
  output: o
  priority: info
`, `a.yaml:6:12: rule "R": condition: operator contains does not apply to fd.num (type int); use one of: = != < <= > >= in intersects exists`},
		{"type error in an exception", `
- rule: R
  desc: d
  condition: evt.type = open
  output: o
  priority: info
  exceptions:
    - name: pids
      fields: [proc.pid]
      values: [[init]]
`, `a.yaml:8:7: rule "R": exception "pids", as the condition ((proc.pid = init)): column 14: "init" is not an integer`},
		{"error inside a macro", `
- macro: m
  condition: proc.name startswith
- rule: R
  desc: d
  condition: evt.type = open and m
  output: o
  priority: info
`, `a.yaml:3:14: macro "m": condition column 21: unexpected end of condition`},
		{"unknown macro", `
- rule: R
  desc: d
  condition: evt.type = open and not trusted
  output: o
  priority: info
`, `a.yaml:4:14: rule "R": condition column 25: unknown macro trusted`},
		{"bad output format", `
- rule: R
  desc: d
  condition: evt.type = open
  output: 100% sure
  priority: info
`, `a.yaml:5:14: rule "R": output: % is not followed by a field name (write %% for a percent sign)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileText(t, Options{}, tt.file)
			if err == nil {
				t.Fatal("compile succeeded, want an error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRulesOnSyscallEntriesMatchExitEvents(t *testing.T) {
	// Falco's ptrace rules test evt.dir = >: syscam's exit event carries the entry's
	// arguments, so such a rule fires once per call, and a rule on the exit still does.
	eng, err := compileText(t, Options{AllMatches: true}, `
- rule: Entry
  desc: d
  condition: evt.type = ptrace and evt.dir = > and evt.arg.request = PTRACE_ATTACH
  output: o
  priority: info
- rule: Exit
  desc: d
  condition: evt.type = ptrace and evt.dir = <
  output: o
  priority: info
- rule: Not entry
  desc: d
  condition: evt.type = ptrace and not evt.dir = >
  output: o
  priority: info
`)
	if err != nil {
		t.Fatal(err)
	}
	if w := eng.Warnings(); len(w) != 0 {
		t.Errorf("warnings: %v, want none", w)
	}
	got := fired(eng, events(t, `
0 1 procinfo ppid=0 comm=gdb exepath=/usr/bin/gdb argv=gdb cwd=/
1 1 ptrace ret=0 request=PTRACE_ATTACH pid=42
`))
	want := map[string][]uint64{"Entry": {2}, "Exit": {2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts by rule (-want +got):\n%s", diff)
	}
}

func TestConditionErrorsCarryACaret(t *testing.T) {
	_, err := compileText(t, Options{}, `
- rule: R
  desc: d
  condition: evt.type = open and and proc.name = sh
  output: o
  priority: info
`)
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *rules.Error", err)
	}
	want := "evt.type = open and and proc.name = sh\n                    ^"
	if re.Context != want {
		t.Errorf("context:\n%s\nwant:\n%s", re.Context, want)
	}
}

func TestRulesWithUnknownFieldsAreSkippedWhenAsked(t *testing.T) {
	file := `
- rule: Known
  desc: d
  condition: evt.type = open
  output: o
  priority: info
- rule: K8s
  desc: d
  condition: evt.type = open and ka.target.namespace = default and ka.target.name = x
  output: o
  priority: info
  skip-if-unknown-filter: true
- rule: Off
  desc: d
  condition: evt.type = open and ka.verb = get
  output: o
  priority: info
  enabled: false
`
	eng, err := compileText(t, Options{}, file)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	var names []string
	for _, cr := range eng.Rules() {
		names = append(names, cr.Name)
	}
	warned := warningTexts(eng)
	want := []string{
		`a.yaml:7:3: rule "K8s": uses fields syscam does not know (ka.target.namespace, ka.target.name); rule skipped`,
		`a.yaml:13:3: rule "Off": uses fields syscam does not know (ka.verb); rule skipped`,
	}
	if diff := cmp.Diff([]string{"Known"}, names); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, warned); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	strict := strings.Replace(file, "  skip-if-unknown-filter: true\n", "", 1)
	if _, err := compileText(t, Options{}, strict); !errors.Is(err, ErrUnknownField) {
		t.Errorf("without skip-if-unknown-filter: err = %v, want ErrUnknownField", err)
	}
	if _, err := compileText(t, Options{SkipUnknown: true}, strict); err != nil {
		t.Errorf("with SkipUnknown: %v", err)
	}
}

func TestAlertsHaveFalcosJSONShape(t *testing.T) {
	eng, err := compileText(t, Options{}, twoRules)
	if err != nil {
		t.Fatal(err)
	}
	evs := events(t, twoRulesEvents)
	var got []map[string]any
	var text []string
	replayAlerts(eng, evs, "web1", func(a Alert) {
		var m map[string]any
		if err := json.Unmarshal(a.AppendJSON(nil), &m); err != nil {
			t.Fatalf("alert JSON: %v", err)
		}
		got = append(got, m)
		text = append(text, string(a.AppendText(nil)))
	})
	if len(got) != 4 {
		t.Fatalf("got %d alerts, want 4", len(got))
	}
	want := map[string]any{
		"time":          "1970-01-01T00:00:03.000000000Z",
		"rule":          "Etc opened",
		"priority":      "Notice",
		"output":        "00:00:03.000000000: Notice vim opened /etc/passwd",
		"output_fields": map[string]any{"proc.name": "vim", "fd.name": "/etc/passwd"},
		"tags":          []any{"fs"},
		"source":        "syscall",
		"hostname":      "web1",
		"evt_num":       float64(4),
	}
	if diff := cmp.Diff(want, got[1]); diff != "" {
		t.Errorf("alert (-want +got):\n%s", diff)
	}
	if want := "1970-01-01T00:00:03.000000000Z: Notice vim opened /etc/passwd (event #4)"; text[1] != want {
		t.Errorf("text alert = %q, want %q", text[1], want)
	}
}

func TestOutputFieldsSyscamLacksPrintAsNA(t *testing.T) {
	eng, err := compileText(t, Options{}, `
- rule: R
  desc: d
  condition: evt.type = openat
  output: file %fd.name by %proc.name ino=%foo.bar %{foo.baz[2]}. %container.info
  priority: info
`)
	if err != nil {
		t.Fatal(err)
	}
	warned := warningTexts(eng)
	want := []string{`a.yaml:2:3: rule "R": output uses fields syscam does not know (foo.bar, foo.baz[2]); they print as <NA>`}
	if diff := cmp.Diff(want, warned); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	var got []string
	replayAlerts(eng, events(t, twoRulesEvents), "h", func(a Alert) { got = append(got, a.Output) })
	wantOut := "file /etc/passwd by vim ino=<NA> <NA>. container_id=host container_name=host"
	if len(got) == 0 || got[0] != wantOut {
		t.Errorf("outputs = %q, want first %q", got, wantOut)
	}
}

func TestMultiLineConditionErrorsNameTheFileLineAndColumn(t *testing.T) {
	const head = "- rule: R\n  desc: d\n  output: o\n  priority: info\n"
	tests := []struct {
		name      string
		condition string // after "  condition:", from line 5
		want      string
		context   string
	}{
		{"folded, unclosed parenthesis", ` >
    evt.type = open and
    (proc.name = a or

    proc.name = b
`, `a.yaml:9:18: rule "R": condition: unexpected end of condition`,
			"    proc.name = b\n                 ^"},
		{"folded, stray parenthesis", ` >
    evt.type = open and
      proc.name = a) and
    fd.num = 3
`, `a.yaml:7:20: rule "R": condition: unexpected ")"`,
			"      proc.name = a) and\n                   ^"},
		{"literal", ` |
    evt.type = open and
    fd.num contains 3
`, `a.yaml:7:12: rule "R": condition: operator contains does not apply to fd.num (type int); use one of: = != < <= > >= in intersects exists`,
			"    fd.num contains 3\n           ^"},
		{"folded, one line", ` >-
    evt.type = open and and x
`, `a.yaml:6:25: rule "R": condition: unexpected "and"`,
			"    evt.type = open and and x\n                        ^"},
		{"plain over two lines", ` evt.type = open and
    proc.nmae = x
`, `a.yaml:6:5: rule "R": condition: unknown field proc.nmae (did you mean proc.name?); the rule can say skip-if-unknown-filter: true, or run with --skip-unknown`,
			"    proc.nmae = x\n    ^"},
		{"double quoted over two lines", ` "evt.type = open
    and and x"
`, `a.yaml:6:9: rule "R": condition: unexpected "and"`,
			"    and and x\"\n        ^"},
		{"quoted with an escape keeps the column in the condition", ` "proc.name = \"a\" and and"
`, `a.yaml:5:15: rule "R": condition column 21: unexpected "and"`,
			"proc.name = \"a\" and and\n                    ^"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileText(t, Options{}, head+"  condition:"+tt.condition)
			checkPlacedError(t, err, tt.want, tt.context)
		})
	}
}

func TestOutputErrorsNameTheFileLineAndColumnAsWritten(t *testing.T) {
	const head = "- rule: R\n  desc: d\n  condition: evt.type = open\n  priority: info\n"
	tests := []struct {
		name    string
		output  string // after "  output:", from line 5
		more    string // a second file, appending to the output
		want    string
		context string
	}{
		{"after an unknown field printed as <NA>", ` "hi %proc.nmae %{fd.name"
`, "", `a.yaml:5:26: rule "R": output: %{ is never closed`,
			"  output: \"hi %proc.nmae %{fd.name\"\n                         ^"},
		{"after %container.info", ` "%container.info 5% done"
`, "", `a.yaml:5:29: rule "R": output: % is not followed by a field name (write %% for a percent sign)`,
			"  output: \"%container.info 5% done\"\n                            ^"},
		{"after sysdig's leading *", ` "*%proc.name %{x"
`, "", `a.yaml:5:24: rule "R": output: %{ is never closed`,
			"  output: \"*%proc.name %{x\"\n                       ^"},
		{"folded over lines", ` >
    File opened by %proc.name
    (%fd.nme, 100%)
`, "", `a.yaml:7:18: rule "R": output: % is not followed by a field name (write %% for a percent sign)`,
			"    (%fd.nme, 100%)\n                 ^"},
		{"in an appended output", ` opened %fd.name
`, "- rule: R\n  output: by %proc.name 50%\n  override:\n    output: append\n",
			`b.yaml:2:27: rule "R": output: % is not followed by a field name (write %% for a percent sign)`,
			"  output: by %proc.name 50%\n                          ^"},
		{"quoted with an escape keeps the column in the output", ` "a\tb %{x"
`, "", `a.yaml:5:12: rule "R": output: column 5: %{ is never closed`,
			"a\tb %{x\n \t  ^"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := []string{head + "  output:" + tt.output}
			if tt.more != "" {
				files = append(files, tt.more)
			}
			_, err := compileText(t, Options{}, files...)
			checkPlacedError(t, err, tt.want, tt.context)
		})
	}
}

// TestUnknownEventTypesInRulesWarnAndTheRuleStillLoads: Falco's rules list event types
// syscam does not have; the rule loads with a warning naming it (and the macro), and
// the known types of the list still fire.
func TestUnknownEventTypesInRulesWarnAndTheRuleStillLoads(t *testing.T) {
	eng, err := compileText(t, Options{}, `
- macro: opens
  condition: evt.type in (openat, opn, open_by_handle_at2)
- rule: Open
  desc: d
  condition: opens and proc.name = x
  output: o
  priority: info
- rule: Exec
  desc: d
  condition: evt.type in (execve, execv) or (opens and evt.type = openat)
  output: o
  priority: info
`)
	if err != nil {
		t.Fatal(err)
	}
	warned := warningTexts(eng)
	const tail = "; syscam records no such event, so that comparison never matches"
	want := []string{
		`a.yaml:4:3: rule "Open": condition: macro opens: unknown event type opn (did you mean open?)` + tail,
		`a.yaml:4:3: rule "Open": condition: macro opens: unknown event type open_by_handle_at2 (did you mean open_by_handle_at?)` + tail,
		`a.yaml:9:3: rule "Exec": condition: unknown event type execv (did you mean execve?)` + tail,
		`a.yaml:9:3: rule "Exec": condition: macro opens: unknown event type opn (did you mean open?)` + tail,
		`a.yaml:9:3: rule "Exec": condition: macro opens: unknown event type open_by_handle_at2 (did you mean open_by_handle_at?)` + tail,
	}
	if diff := cmp.Diff(want, warned); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	types := map[string][]string{}
	for _, cr := range eng.Rules() {
		for _, ty := range cr.Types {
			types[cr.Name] = append(types[cr.Name], event.Lookup(ty).Name)
		}
	}
	if diff := cmp.Diff(map[string][]string{"Open": {"openat"}, "Exec": {"execve", "openat"}}, types); diff != "" {
		t.Errorf("event types per rule (-want +got):\n%s", diff)
	}
}

// checkPlacedError checks that err is a *Error with the message want and the source
// excerpt (with its caret) context.
func checkPlacedError(t *testing.T, err error, want, context string) {
	t.Helper()
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *rules.Error", err)
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(context, re.Context); diff != "" {
		t.Errorf("context (-want +got):\n%s", diff)
	}
}

// warningTexts returns the engine's load warnings as their messages.
func warningTexts(eng *Engine) []string {
	var out []string
	for _, w := range eng.Warnings() {
		out = append(out, w.String())
	}
	return out
}
