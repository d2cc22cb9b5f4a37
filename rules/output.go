package rules

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/syscam/syscam/query"
)

// output is a rule's compiled output format.
type output struct {
	f *query.Formatter
}

// containerInfo is what Falco's %container.info stands for when it is given no -pc
// or -pk option of its own.
const containerInfo = "container_id=%container.id container_name=%container.name"

// compileOutput compiles a rule's output. A field the registry does not know prints as
// <NA> and is returned in unknown, so that a rule whose condition syscam can evaluate
// still runs when only a detail of its message is missing. A *query.Error returned
// has its offset in spec as given, not in the text after those edits.
func compileOutput(spec string, reg *query.Registry) (out *output, unknown []string, err error) {
	orig := spec
	var edits []edit
	// Outputs written as YAML block scalars end with a newline; an alert is one line.
	trimmed := strings.TrimLeft(spec, " \t\r\n")
	edits = append(edits, edit{at: 0, del: len(spec) - len(trimmed)})
	spec = strings.TrimSpace(trimmed)
	for i := 0; ; {
		j := strings.Index(spec[i:], "%container.info")
		if j < 0 {
			break
		}
		i += j
		spec = spec[:i] + containerInfo + spec[i+len("%container.info"):]
		edits = append(edits, edit{at: i, del: len("%container.info"), ins: len(containerInfo)})
		i += len(containerInfo)
	}
	for range 64 {
		f, err := query.NewFormatter(spec, reg)
		if err == nil {
			return &output{f: f}, unknown, nil
		}
		name, rest, at, ok := cutUnknownField(spec, err)
		if !ok {
			return nil, unknown, undoEdits(err, orig, edits)
		}
		unknown = append(unknown, name)
		edits = append(edits, edit{at: at, del: len(spec) - len(rest) + len(query.NA), ins: len(query.NA)})
		spec = rest
	}
	return nil, unknown, errors.New("too many unknown fields")
}

// edit is a change made to an output before compiling it: del bytes at offset at
// replaced by ins bytes.
type edit struct{ at, del, ins int }

// undoEdits maps the offset of a query error back through edits, last first, so that
// its column counts in the output as written.
func undoEdits(err error, orig string, edits []edit) error {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return err
	}
	c := *qe
	off := c.Pos.Offset
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		switch {
		case off >= e.at+e.ins:
			off += e.del - e.ins
		case off > e.at:
			off = e.at
		}
	}
	line, col := lineCol(orig, off)
	c.Pos, c.Src = query.Position{Offset: off, Line: line, Column: col}, orig
	return &c
}

// cutUnknownField replaces the field an "unknown field" error points at with <NA>,
// which starts at offset at of rest.
func cutUnknownField(spec string, err error) (name, rest string, at int, ok bool) {
	var qe *query.Error
	if !errors.As(err, &qe) || !strings.HasPrefix(qe.Msg, "unknown field ") {
		return "", "", 0, false
	}
	start := qe.Pos.Offset // just after the %
	if start < 1 || start >= len(spec) || spec[start-1] != '%' {
		return "", "", 0, false
	}
	end := start
	if spec[start] == '{' {
		i := strings.IndexByte(spec[start:], '}')
		if i < 0 {
			return "", "", 0, false
		}
		name, end = spec[start+1:start+i], start+i+1
	} else {
		for end < len(spec) && (isFieldByte(spec[end])) {
			end++
		}
		if end < len(spec) && spec[end] == '[' {
			if i := strings.IndexByte(spec[end:], ']'); i > 0 {
				end += i + 1
			}
		}
		for end > start && spec[end-1] == '.' {
			end--
		}
		name = spec[start:end]
	}
	return name, spec[:start-1] + query.NA + spec[end:], start - 1, true
}

func isFieldByte(c byte) bool {
	return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// AppendOutput appends the rule's output for the event in (absent fields print as
// <NA>, as in Falco). Formatting is not safe for concurrent use: the formatters keep
// scratch state.
func (cr *CompiledRule) AppendOutput(dst []byte, in *query.Input) []byte {
	return cr.output.f.AppendText(dst, in)
}

// AppendOutputFields appends the values of the fields the output names as one JSON
// object keyed by field name: Falco's output_fields.
func (cr *CompiledRule) AppendOutputFields(dst []byte, in *query.Input) []byte {
	return cr.output.f.AppendJSON(dst, in)
}

// OutputFields returns the names of the fields the output names, in order.
func (cr *CompiledRule) OutputFields() []string { return cr.output.f.Fields() }

// Alert is one rule matching one event.
type Alert struct {
	Rule     *CompiledRule
	Num      uint64 // the event's position in the trace, from 1
	Time     int64  // the event's wall-clock time, ns since the Unix epoch
	Hostname string
	Output   string // the rule's output, formatted for the event
	Fields   []byte // output_fields as a JSON object
}

// NewAlert formats the alert of rule cr for the event in. It allocates the output
// strings: call it only for events that matched.
func NewAlert(cr *CompiledRule, in *query.Input) Alert {
	return Alert{
		Rule:     cr,
		Num:      in.Event.Num,
		Time:     in.Event.Time,
		Hostname: in.Hostname,
		Output:   string(cr.AppendOutput(nil, in)),
		Fields:   cr.AppendOutputFields(nil, in),
	}
}

// AppendText appends the alert as Falco prints it, then syscam's event position:
//
//	2026-01-02T03:04:05.000000000Z: Critical Shell started by ... (event #42)
func (a *Alert) AppendText(dst []byte) []byte {
	dst = time.Unix(0, a.Time).UTC().AppendFormat(dst, "2006-01-02T15:04:05.000000000Z07:00")
	dst = append(dst, ": "...)
	dst = append(dst, a.Rule.Priority.String()...)
	dst = append(dst, ' ')
	// A command line may hold newlines; the text form keeps one alert per line.
	for i := 0; i < len(a.Output); i++ {
		switch c := a.Output[i]; c {
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		default:
			dst = append(dst, c)
		}
	}
	dst = append(dst, " (event #"...)
	dst = strconv.AppendUint(dst, a.Num, 10)
	return append(dst, ')')
}

// AppendJSON appends the alert as one JSON object in the shape of Falco's JSON output
// (time, rule, priority, output, output_fields, tags, source, hostname), plus
// evt_num, syscam's position of the event in the trace.
func (a *Alert) AppendJSON(dst []byte) []byte {
	ts := time.Unix(0, a.Time).UTC()
	dst = append(dst, `{"time":"`...)
	dst = ts.AppendFormat(dst, "2006-01-02T15:04:05.000000000Z")
	dst = append(dst, `","rule":`...)
	dst = strconv.AppendQuote(dst, a.Rule.Name)
	dst = append(dst, `,"priority":`...)
	dst = strconv.AppendQuote(dst, a.Rule.Priority.String())
	dst = append(dst, `,"output":`...)
	line := ts.AppendFormat(nil, "15:04:05.000000000: ")
	line = append(line, a.Rule.Priority.String()...)
	line = append(line, ' ')
	line = append(line, a.Output...)
	dst = appendJSONString(dst, string(line))
	dst = append(dst, `,"output_fields":`...)
	dst = append(dst, a.Fields...)
	dst = append(dst, `,"tags":[`...)
	for i, t := range a.Rule.Tags {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, t)
	}
	dst = append(dst, `],"source":`...)
	dst = appendJSONString(dst, a.Rule.Source)
	dst = append(dst, `,"hostname":`...)
	dst = appendJSONString(dst, a.Hostname)
	dst = append(dst, `,"evt_num":`...)
	dst = strconv.AppendUint(dst, a.Num, 10)
	return append(dst, '}')
}
