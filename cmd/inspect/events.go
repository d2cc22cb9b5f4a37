package main

import (
	"bufio"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syscam/syscam/query"
)

const eventsHelp = `
Usage: inspect events [flags] FILE...

Prints the events of a trace (syscam files, a directory or rotated set, or one
sysdig/Falco .scap capture), one per line, like sysdig -r. A filter (-f) keeps the
events it matches; it uses Falco's syntax and field names (run 'inspect fields').
Predicates on evt.type, evt.rawtime and thread.tid are pushed down to the file's
block index, so blocks that cannot match are never decompressed; one on proc.pid
drops events before the filter runs, but the index has no pid ranges. That works
fully when the filter and the format read only evt.* fields (evt.info and evt.args
excepted: they name fds); process fields also need the process lifecycle events, and
fd fields (and the default line) need every event, to replay the state.

Files from several machines (told apart by the machine id in their headers) merge
into one time order; each host replays its own state, every event names its host in
host.name and host.id, and evt.num counts within each host.

The default line is sysdig's:
  %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
-p changes it: %field or %{field} print a field (<NA> when it does not apply), %%
prints a percent sign. --json prints one JSON object per event, keyed by field name
(the default fields, or those of -p), with null for fields that do not apply.

Examples:
  inspect events trace.syscam
  inspect events -f 'evt.type in (open, openat) and fd.name startswith /etc/' trace.syscam
  inspect events -f 'proc.name = bash and evt.type = execve' -p '%evt.time %proc.pname -> %proc.cmdline' trace.syscam
  inspect events -f 'fd.sport = 4444' --json /evidence/host1/
  inspect events -f 'host.name = web1 and evt.type = connect' web1.syscam db1.syscam
  inspect events --from 06:14:03 --to +5m -f 'evt.failed = true' trace.syscam

` + timeArgHelp

// eventsOptions are the flags of inspect events.
type eventsOptions struct {
	filter, format, from, to, tz string
	json                         bool
	clock                        *time.Location // zone of clock times in from and to; nil: UTC
}

func runEvents(args []string, stdout, stderr io.Writer) error {
	var o eventsOptions
	fs := newFlagSet("events", eventsHelp, stdout)
	fs.Var(&onceString{p: &o.filter}, "f", "filter `CONDITION` (Falco syntax)")
	fs.StringVar(&o.format, "p", "", "output `FORMAT` with %field or %{field} (default sysdig's line)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per event")
	fs.StringVar(&o.from, "from", "", "first `TIME` to print")
	fs.StringVar(&o.to, "to", "", "`TIME` to stop before")
	fs.StringVar(&o.tz, "tz", "Local", "time `ZONE` of evt.time and evt.datetime (UTC, Europe/Paris, Local)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return errors.New("events: no trace file given")
	}
	return printEvents(o, files, stdout, stderr)
}

// parseInterleaved parses flags that may come before or after the file names.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return files, nil
		}
		files = append(files, args[0])
		args = args[1:]
	}
}

func printEvents(o eventsOptions, files []string, stdout, stderr io.Writer) error {
	loc, err := time.LoadLocation(o.tz)
	if err != nil {
		return fmt.Errorf("events: time zone %q: %w", o.tz, err)
	}
	spec := o.format
	if spec == "" {
		spec = query.DefaultFormat
	}
	out, err := query.NewFormatter(spec, nil)
	if err != nil {
		return queryError("output format", spec, err)
	}
	scan := &query.Scan{Needs: out.Needs(), Location: loc}
	o.clock = loc // the zone evt.time prints in
	if o.filter != "" {
		if scan.Filter, err = query.Compile(o.filter, query.Options{}); err != nil {
			return queryError("filter", o.filter, err)
		}
	}
	t, err := openTrace(files, stderr)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	defer t.set.Close()
	scan.Start = t.first
	if scan.From, scan.To, err = timeRange(o, t.first); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	return writeEvents(scan, t, out, o.json, stdout)
}

func timeRange(o eventsOptions, start int64) (from, to int64, err error) {
	if o.from != "" {
		if from, err = parseTimeArgIn(o.from, start, cmp.Or(o.clock, time.UTC)); err != nil {
			return 0, 0, fmt.Errorf("--from: %w", err)
		}
	}
	if o.to != "" {
		if to, err = parseTimeArgIn(o.to, start, cmp.Or(o.clock, time.UTC)); err != nil {
			return 0, 0, fmt.Errorf("--to: %w", err)
		}
	}
	// An empty window would print nothing and exit 0, as if nothing had happened.
	if o.from != "" && o.to != "" && to <= from {
		return 0, 0, fmt.Errorf("--to %s (%s) is not after --from %s (%s)", o.to, fmtTime(to), o.from, fmtTime(from))
	}
	return from, to, nil
}

func writeEvents(scan *query.Scan, t *trace, out *query.Formatter, asJSON bool, stdout io.Writer) error {
	w := bufio.NewWriterSize(stdout, 256<<10)
	var line []byte
	err := scanTrace(t, scan, func(in *query.Input) error {
		if asJSON {
			line = out.AppendJSON(line[:0], in)
		} else {
			line = out.AppendText(line[:0], in)
		}
		line = append(line, '\n')
		_, err := w.Write(line)
		return err
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	return nil
}

// queryError renders a filter or format error with its source line and a caret under
// the column.
func queryError(what, src string, err error) error {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return fmt.Errorf("%s: %w", what, err)
	}
	caret := strings.ReplaceAll(qe.Caret(), "\n", "\n  ")
	return fmt.Errorf("%s: %w\n  %s", what, err, caret)
}
