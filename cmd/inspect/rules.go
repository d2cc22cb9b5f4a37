package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/rules"
)

const rulesHelp = `
Usage: inspect rules [flags] FILE...

Runs Falco-style rules over a trace, replaying the host's state as it went, and prints
one alert per match: time, priority, the rule's output and the event's position
(#N, as 'inspect events' numbers them). Without -r, syscam's default ruleset runs
(42 rules for intrusions on a Linux host: shells from network services, reverse
shells, credential reads, persistence, log tampering, privilege changes, injection,
kernel modules, container escapes, miners...). With -r, the given files run instead,
in order: later files append to and override earlier ones, as with falco -r. To add
your own rules to the default set, pass -r default first.

Each event raises at most the first matching rule in load order, as Falco does;
--all-matches reports every rule that matches. A rule that uses a field syscam does
not know fails the load unless it says skip-if-unknown-filter: true or --skip-unknown
is given; either way it is reported. A summary (alerts per rule and per priority)
ends the output, on stderr with --json. -f keeps the rules to the events a condition
matches (a host, a process tree); --from and --to bound the events that may raise
alerts; the events before --from still replay into the state (from the nearest
checkpoint), so process and fd fields stay right.

Examples:
  inspect rules incident.syscam
  inspect rules --min-priority warning --json /evidence/host1/ > alerts.jsonl
  inspect rules -r falco_rules.yaml --skip-unknown incident.syscam
  inspect rules -r default -r local_overrides.yaml --all-matches incident.syscam
  inspect rules --from 06:14:03 --to +5m incident.syscam
  inspect rules -f 'host.name = web1 and proc.aname = nginx' /evidence/
  inspect rules --list
  inspect rules -r my_rules.yaml --list

` + timeArgHelp

// rulesOptions are the flags of inspect rules.
type rulesOptions struct {
	files       stringList
	json        bool
	minPriority string
	allMatches  bool
	list        bool
	skipUnknown bool
	filter      string
	from, to    string
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func runRules(args []string, stdout, stderr io.Writer) error {
	var o rulesOptions
	fs := newFlagSet("rules", rulesHelp, stdout)
	fs.Var(&o.files, "r", "rules `FILE` to load (repeatable; \"default\" is syscam's own set); without -r the default set runs")
	fs.BoolVar(&o.json, "json", false, "print one JSON alert per line, in Falco's JSON shape plus evt_num")
	fs.StringVar(&o.minPriority, "min-priority", "", "leave out rules less severe than `PRIORITY` (emergency ... debug)")
	fs.BoolVar(&o.allMatches, "all-matches", false, "report every rule an event matches, not only the first")
	fs.BoolVar(&o.list, "list", false, "list the rules that would run and exit")
	fs.BoolVar(&o.skipUnknown, "skip-unknown", false, "drop rules that use fields syscam does not know, with a warning")
	fs.Var(&onceString{p: &o.filter}, "f", "run the rules only on events matching `CONDITION` (Falco syntax)")
	fs.StringVar(&o.from, "from", "", "first `TIME` to raise alerts for")
	fs.StringVar(&o.to, "to", "", "`TIME` to stop before")
	traces, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	eng, err := loadRules(o, stderr)
	if err != nil {
		return fmt.Errorf("rules: %w", withContext(err))
	}
	if o.list {
		return listRules(eng, stdout)
	}
	if len(traces) == 0 {
		fs.Usage()
		return errors.New("rules: no trace file given")
	}
	return runOverTrace(o, eng, traces, stdout, stderr)
}

// withContext adds, below each condition error, the condition line and a caret.
func withContext(err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
		var re *rules.Error
		if errors.As(e, &re) && re.Context != "" {
			b.WriteString("\n    " + strings.ReplaceAll(re.Context, "\n", "\n    "))
		}
	}
	if b.String() == err.Error() {
		return err
	}
	return fmt.Errorf("%s", b.String())
}

// loadRules loads and compiles the rules files (or the default set) and prints the
// warnings to stderr.
func loadRules(o rulesOptions, stderr io.Writer) (*rules.Engine, error) {
	opt := rules.Options{AllMatches: o.allMatches, SkipUnknown: o.skipUnknown}
	if o.minPriority != "" {
		p, err := rules.ParsePriority(o.minPriority)
		if err != nil {
			return nil, fmt.Errorf("--min-priority: %w", err)
		}
		opt.MinPriority = p
	}
	l := rules.NewLoader()
	files := o.files
	if len(files) == 0 {
		files = []string{"default"}
	}
	for _, f := range files {
		var err error
		if f == "default" {
			err = l.LoadDefault()
		} else {
			err = l.LoadFile(f)
		}
		if err != nil {
			return nil, err
		}
	}
	rs := l.Ruleset()
	eng, err := rules.Compile(rs, opt)
	if err != nil {
		return nil, err
	}
	for _, w := range append(rs.Warnings, eng.Warnings()...) {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	reportRequirements(rs, stderr)
	return eng, nil
}

// reportRequirements notes what the files require: syscam reads the engine version
// and plugin requirements but runs no plugins.
func reportRequirements(rs *rules.Ruleset, stderr io.Writer) {
	for _, r := range rs.EngineVersions {
		if !strings.HasPrefix(r.Pos.File, "(default)") {
			fmt.Fprintf(stderr, "note: %s: requires Falco engine version %s\n", r.Pos, r.Version)
		}
	}
	for _, p := range rs.Plugins {
		fmt.Fprintf(stderr, "note: %s: requires plugin %s %s; syscam runs no plugins, their rules are skipped\n", p.Pos, p.Name, p.Version)
	}
}

func listRules(eng *rules.Engine, stdout io.Writer) error {
	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "%-13s %-52s %-9s %s\n", "PRIORITY", "RULE", "EVENTS", "TAGS")
	for _, cr := range eng.Rules() {
		types := "all"
		if cr.Types != nil {
			types = fmt.Sprint(len(cr.Types))
		}
		fmt.Fprintf(w, "%-13s %-52s %-9s %s\n", cr.Priority, cr.Name, types, strings.Join(cr.Tags, ","))
	}
	fmt.Fprintf(w, "%d rules\n", len(eng.Rules()))
	return w.Flush()
}

// summary counts alerts per rule and per priority.
type summary struct {
	events     uint64
	alerts     uint64
	byRule     map[*rules.CompiledRule]uint64
	byPriority map[rules.Priority]uint64
}

func runOverTrace(o rulesOptions, eng *rules.Engine, traces []string, stdout, stderr io.Writer) error {
	t, err := openTrace(traces, stderr)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	defer t.set.Close()
	scan, err := rulesScan(o, eng, t.first)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	w := bufio.NewWriterSize(stdout, 256<<10)
	sum := summary{byRule: map[*rules.CompiledRule]uint64{}, byPriority: map[rules.Priority]uint64{}}
	var line []byte
	start := time.Now()
	err = scanTrace(t, scan, func(in *query.Input) error {
		sum.events++
		var werr error
		eng.Match(in, func(cr *rules.CompiledRule) {
			a := rules.NewAlert(cr, in)
			sum.alerts++
			sum.byRule[cr]++
			sum.byPriority[cr.Priority]++
			if o.json {
				line = a.AppendJSON(line[:0])
			} else {
				line = a.AppendText(line[:0])
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil && werr == nil {
				werr = err
			}
		})
		return werr
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	out := stdout
	if o.json {
		out = stderr
	}
	return sum.write(out, eng, time.Since(start))
}

// rulesScan returns the scan of the trace for the rules: the time window, and a
// filter of the user's -f condition and the event types some rule can match.
func rulesScan(o rulesOptions, eng *rules.Engine, first int64) (*query.Scan, error) {
	scan := &query.Scan{Needs: eng.Needs(), Location: time.UTC, Start: first}
	var err error
	if scan.From, scan.To, err = timeRange(eventsOptions{from: o.from, to: o.to}, first); err != nil {
		return nil, err
	}
	if o.filter != "" {
		// Compiled alone first, so that an error points into what the user wrote.
		if _, err := query.Compile(o.filter, query.Options{}); err != nil {
			return nil, queryError("filter", o.filter, err)
		}
	}
	cond := typeCondition(eng)
	switch {
	case o.filter != "" && cond != "":
		cond = "(" + o.filter + ") and " + cond
	case o.filter != "":
		cond = o.filter
	}
	if cond != "" {
		scan.Filter, err = query.Compile(cond, query.Options{})
	}
	return scan, err
}

// typeCondition returns a condition on the event types some rule can match, so that
// the scan pushes them down to the block index (the replay still sees every event it
// needs), or "" when some rule runs for every type.
func typeCondition(eng *rules.Engine) string {
	types := eng.Types()
	if types == nil {
		return ""
	}
	if len(types) == 0 {
		return "evt.num < 0"
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = event.Lookup(t).Name
	}
	return "evt.type in (" + strings.Join(names, ", ") + ")"
}

func (s *summary) write(w io.Writer, eng *rules.Engine, took time.Duration) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "\n%d alerts, %d rules, %d events of the types they match, in %s\n", s.alerts, len(eng.Rules()), s.events, took.Round(time.Millisecond))
	if s.alerts > 0 {
		b.WriteString("\nAlerts by priority:\n")
		for p := rules.PriorityEmergency; p <= rules.PriorityDebug; p++ {
			if n := s.byPriority[p]; n > 0 {
				fmt.Fprintf(b, "  %-13s %d\n", p, n)
			}
		}
		b.WriteString("\nAlerts by rule:\n")
		crs := make([]*rules.CompiledRule, 0, len(s.byRule))
		for cr := range s.byRule {
			crs = append(crs, cr)
		}
		slices.SortFunc(crs, func(a, c *rules.CompiledRule) int {
			if d := int(a.Priority) - int(c.Priority); d != 0 {
				return d
			}
			if d := int(s.byRule[c]) - int(s.byRule[a]); d != 0 {
				return d
			}
			// Ties by name: byRule is a map, and the summary must read the same each run.
			return strings.Compare(a.Name, c.Name)
		})
		for _, cr := range crs {
			fmt.Fprintf(b, "  %6d  %-13s %s\n", s.byRule[cr], cr.Priority, cr.Name)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
