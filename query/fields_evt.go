package query

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/syscam/syscam/event"
)

// evtFields are the fields computed from the event alone.
func evtFields() []*Field {
	return []*Field{
		numField("evt.num", TypeInt, "position of the event in the trace, from 1", func(in *Input) (int64, bool) { return int64(in.Event.Num), true }),
		appField("evt.time", "time of the event, HH:MM:SS.nnnnnnnnn in the output time zone", clockField(false, true)),
		appField("evt.time.s", "time of the event, HH:MM:SS", clockField(false, false)),
		appField("evt.time.iso8601", "time of the event in ISO 8601, UTC, with nanoseconds: 2024-05-01T12:00:00.000000000Z", isoTime),
		appField("evt.datetime", "date and time of the event, YYYY-MM-DD HH:MM:SS.nnnnnnnnn", clockField(true, true)),
		appField("evt.datetime.s", "date and time of the event, YYYY-MM-DD HH:MM:SS", clockField(true, false)),
		numField("evt.rawtime", TypeTime, "time of the event, ns since the Unix epoch", func(in *Input) (int64, bool) { return in.Event.Time, true }),
		numField("evt.rawtime.s", TypeInt, "whole seconds of evt.rawtime", func(in *Input) (int64, bool) { return in.Event.Time / 1e9, true }),
		numField("evt.rawtime.ns", TypeInt, "nanoseconds part of evt.rawtime", func(in *Input) (int64, bool) { return in.Event.Time % 1e9, true }),
		numField("evt.reltime", TypeDuration, "ns since the first event of the trace", func(in *Input) (int64, bool) { return in.Event.Time - in.Start, true }),
		numField("evt.reltime.s", TypeInt, "whole seconds of evt.reltime", func(in *Input) (int64, bool) { return (in.Event.Time - in.Start) / 1e9, true }),
		numField("evt.reltime.ns", TypeInt, "nanoseconds part of evt.reltime", func(in *Input) (int64, bool) { return (in.Event.Time - in.Start) % 1e9, true }),
		numField("evt.latency", TypeDuration, "ns from the syscall's entry to its exit; absent when the recorder did not time it", latency),
		numField("evt.latency.s", TypeInt, "whole seconds of evt.latency", func(in *Input) (int64, bool) { l, ok := latency(in); return l / 1e9, ok }),
		numField("evt.latency.ns", TypeInt, "nanoseconds part of evt.latency", func(in *Input) (int64, bool) { l, ok := latency(in); return l % 1e9, ok }),
		strField("evt.latency.human", "evt.latency as a duration: 1.5ms", latencyHuman),
		strField("evt.type", "event type: the syscall name (open, execve) or procfork, procexit...", func(in *Input) (string, bool) { return in.Event.Name(), true }),
		strField("evt.category", "event category: file, io, net, process, cred, memory, ipc, signal, system, capture, state, other", func(in *Input) (string, bool) { return in.Event.Info().Category.String(), true }),
		strField("evt.dir", "> for an event recorded at syscall entry (the call had not returned), < otherwise", evtDir),
		numField("evt.cpu", TypeInt, "CPU the event happened on", func(in *Input) (int64, bool) { return int64(in.Event.CPU), true }),
		strField("evt.res", "SUCCESS, or the errno name (ENOENT) when the syscall failed; absent for enter, lifecycle and snapshot events", evtRes),
		numField("evt.rawres", TypeInt, "return value of the syscall, as a number (negative errno on failure); absent like evt.res", rawRes),
		boolField("evt.failed", "true when the syscall returned an error", func(in *Input) (bool, bool) { return in.Event.Failed(), true }),
		boolField("evt.is_io", "true for events that read or write data (read, write, send, recv...)", ioFlag(event.ReadsData|event.WritesData)),
		boolField("evt.is_io_read", "true for events that read data", ioFlag(event.ReadsData)),
		boolField("evt.is_io_write", "true for events that write data", ioFlag(event.WritesData)),
		boolField("evt.is_open_read", "true for open-family events that open a file for reading", openCheck(func(fl, _ uint64) bool { return fl&3 == 0 || fl&3 == 2 })),
		boolField("evt.is_open_write", "true for open-family events that open a file for writing (creat included)", openCheck(func(fl, _ uint64) bool { return fl&3 == 1 || fl&3 == 2 })),
		boolField("evt.is_open_exec", "true for open-family events that create a file with an execute permission bit", openCheck(func(fl, mode uint64) bool { return fl&0o100 != 0 && mode&0o111 != 0 })),
		needs(NeedFD, appField("evt.args", "all parameters as name=value pairs; an fd is followed by its type and name when known: fd=3(<f>/etc/passwd)", always(appendArgs)))[0],
		needs(NeedFD, appField("evt.info", "what sysdig prints after the event type: the result (res= or fd=) of a syscall's exit, then evt.args", always(appendInfo)))[0],
		bytesField("evt.buffer", "the data buffer of an I/O event (read, write, sendto...), as far as the snaplen kept it", evtBuffer),
		numField("evt.buflen", TypeInt, "length of the data buffer of an I/O event before the snaplen cut", evtBufLen),
		strField("evt.hostname", "host name of the recorded machine (from the trace header)", func(in *Input) (string, bool) { return in.Hostname, in.Hostname != "" }),
		{Name: "evt.arg", Type: TypeString, Arg: ArgRequired, ArgName: "NAME",
			Desc: "a parameter as text, by name (evt.arg.name, evt.arg[name]) or position (evt.arg[0]); flags by name, modes in octal (chmod's by bit name, as Falco: S_IRUSR|S_ISUID), uids and gids by name when the trace names them, addresses as host:port", bind: bindArg},
		{Name: "evt.rawarg", Type: TypeDynamic, Arg: ArgRequired, ArgName: "NAME",
			Desc: "a parameter as its raw value, by name: a number for integer parameters, text for paths and strings", bind: bindRawArg},
	}
}

func clockField(withDate, frac bool) func([]byte, *Input) ([]byte, bool) {
	return func(dst []byte, in *Input) ([]byte, bool) {
		return in.clock.appendClock(dst, in.Event.Time, in.loc(), withDate, frac), true
	}
}

func isoTime(dst []byte, in *Input) ([]byte, bool) {
	dst = in.clock.appendClock(dst, in.Event.Time, time.UTC, true, true)
	dst[len(dst)-19] = 'T'
	return append(dst, 'Z'), true
}

// always adapts an append function for a field that applies to every event.
func always(fn func([]byte, *Input) []byte) func([]byte, *Input) ([]byte, bool) {
	return func(dst []byte, in *Input) ([]byte, bool) { return fn(dst, in), true }
}

func latency(in *Input) (int64, bool) { return in.Event.Latency, in.Event.Latency != 0 }

func latencyHuman(in *Input) (string, bool) {
	l, ok := latency(in)
	if !ok {
		return "", false
	}
	in.scratch = append(in.scratch[:0], time.Duration(l).String()...)
	return str(in.scratch), true
}

func evtDir(in *Input) (string, bool) {
	if in.Event.Flags&event.FlagEnter != 0 {
		return ">", true
	}
	return "<", true
}

// hasRes reports whether the event has a return value: a syscall's exit. Enter
// events do not know it yet; lifecycle and snapshot events have none.
func hasRes(e *event.Event) bool {
	return e.Flags&event.FlagEnter == 0 && e.Info().IsSyscall()
}

func rawRes(in *Input) (int64, bool) { return in.Event.Ret, hasRes(in.Event) }

func evtRes(in *Input) (string, bool) {
	e := in.Event
	if !hasRes(e) {
		return "", false
	}
	if !e.Failed() {
		return "SUCCESS", true
	}
	in.scratch = event.AppendErrno(in.scratch[:0], -e.Ret)
	return str(in.scratch), true
}

func ioFlag(mask uint16) func(*Input) (bool, bool) {
	return func(in *Input) (bool, bool) { return in.Event.Info().Flags&mask != 0, true }
}

// evtTables index, per event type, the parameters the evt fields read, so that no
// extractor searches a type's parameter list per event.
type evtTables struct {
	buffer    []int8 // index of the KindBytes data parameter, -1 if none
	openFlags []int8 // open family: index of flags, -1 for other types
	openMode  []int8 // open family: index of mode, -1 if none
	fdParam   []int8 // index of the parameter named fd, -1 if none
	chmodMode []bool // the chmod family, whose mode evt.arg renders by bit name
}

var evtTab = buildEvtTables()

func buildEvtTables() *evtTables {
	n := int(event.MaxType())
	t := &evtTables{buffer: fill(n, -1), openFlags: fill(n, -1), openMode: fill(n, -1), fdParam: fill(n, -1), chmodMode: make([]bool, n)}
	for _, in := range event.All() {
		t.fdParam[in.Type] = int8(in.ParamIndex("fd"))
		if i := in.ParamIndex("data"); i >= 0 && in.Params[i].Kind == event.KindBytes {
			t.buffer[in.Type] = int8(i)
		}
		switch in.Name {
		case "open", "openat", "openat2", "open_by_handle_at":
			t.openFlags[in.Type] = int8(in.ParamIndex("flags"))
			t.openMode[in.Type] = int8(in.ParamIndex("mode"))
		case "creat":
			t.openFlags[in.Type] = -2 // O_WRONLY|O_CREAT|O_TRUNC, implied
			t.openMode[in.Type] = int8(in.ParamIndex("mode"))
		case "chmod", "fchmod", "fchmodat", "fchmodat2":
			t.chmodMode[in.Type] = true
		}
	}
	return t
}

func fill(n int, v int8) []int8 {
	s := make([]int8, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// param returns parameter i's value when e carries it.
func param(e *event.Event, i int8) (uint64, bool) {
	if i < 0 || int(i) >= int(e.NParams) {
		return 0, false
	}
	return e.Params[i].Val, true
}

func openCheck(test func(flags, mode uint64) bool) func(*Input) (bool, bool) {
	return func(in *Input) (bool, bool) {
		e := in.Event
		if int(e.Type) >= len(evtTab.openFlags) {
			return false, true
		}
		fi := evtTab.openFlags[e.Type]
		if fi == -1 {
			return false, true
		}
		flags := uint64(0o1101) // creat
		if fi >= 0 {
			flags, _ = param(e, fi)
		}
		mode, _ := param(e, evtTab.openMode[e.Type])
		return test(flags, mode), true
	}
}

func bufferIndex(e *event.Event) int8 {
	if int(e.Type) >= len(evtTab.buffer) {
		return -1
	}
	i := evtTab.buffer[e.Type]
	if int(i) >= int(e.NParams) {
		return -1
	}
	return i
}

func evtBuffer(in *Input) (string, bool) {
	i := bufferIndex(in.Event)
	if i < 0 {
		return "", false
	}
	return str(in.Event.Bytes(int(i))), true
}

func evtBufLen(in *Input) (int64, bool) {
	i := bufferIndex(in.Event)
	if i < 0 {
		return 0, false
	}
	return int64(in.Event.Params[i].Orig), true
}

// bindArg binds evt.arg to a parameter name or position.
func bindArg(arg string, _ bool) (extractor, error) {
	if n, err := strconv.Atoi(arg); err == nil {
		if n < 0 || n >= event.MaxParams {
			return extractor{}, fmt.Errorf("parameter position %d out of range 0..%d", n, event.MaxParams-1)
		}
		// Any parameter may be a uid, named through the replayed passwd records.
		return extractor{typ: TypeString, str: argText(func(*event.Event) int { return n }), needs: NeedProcess}, nil
	}
	idx, err := paramIndexes(arg)
	if err != nil {
		return extractor{}, err
	}
	ex := extractor{typ: TypeString, str: argText(idx.of)}
	if hasKind(idx.kinds, event.KindUID) || hasKind(idx.kinds, event.KindGID) {
		ex.needs = NeedProcess
	}
	return ex, nil
}

func argText(index func(*event.Event) int) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		e := in.Event
		i := index(e)
		if i < 0 || i >= int(e.NParams) || i >= len(e.Info().Params) {
			return "", false
		}
		switch e.Info().Params[i].Kind {
		case event.KindPath, event.KindString:
			return str(e.Bytes(i)), true
		case event.KindMode:
			if modeNames(e.Type) {
				in.scratch = appendChmodMode(in.scratch[:0], e.Params[i].Val)
				return str(in.scratch), true
			}
		case event.KindUID, event.KindGID:
			if name, ok := credName(in, e.Info().Params[i].Kind, e.Params[i].Val); ok {
				return name, true
			}
		}
		in.scratch = e.AppendParam(in.scratch[:0], i)
		return str(in.scratch), true
	}
}

// paramIdx maps each event type to the index of one named parameter (-1: none).
type paramIdx struct {
	idx   []int8
	kinds []event.Kind // the distinct kinds the name has across types
}

func (p *paramIdx) of(e *event.Event) int {
	if int(e.Type) >= len(p.idx) {
		return -1
	}
	return int(p.idx[e.Type])
}

func paramIndexes(name string) (*paramIdx, error) {
	p := &paramIdx{idx: fill(int(event.MaxType()), -1)}
	for _, in := range event.All() {
		i := in.ParamIndex(name)
		if i < 0 {
			continue
		}
		p.idx[in.Type] = int8(i)
		if k := in.Params[i].Kind; !hasKind(p.kinds, k) {
			p.kinds = append(p.kinds, k)
		}
	}
	if len(p.kinds) == 0 {
		return nil, fmt.Errorf("no event type has a parameter named %q", name)
	}
	return p, nil
}

func hasKind(ks []event.Kind, k event.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// bindRawArg types evt.rawarg.NAME by the kinds NAME has across event types.
func bindRawArg(arg string, _ bool) (extractor, error) {
	p, err := paramIndexes(arg)
	if err != nil {
		return extractor{}, err
	}
	bytes, ints := 0, 0
	for _, k := range p.kinds {
		if k.IsBytes() {
			bytes++
		} else {
			ints++
		}
	}
	switch {
	case ints > 0 && bytes > 0:
		return extractor{}, errors.New("parameter is a number for some event types and text for others; use evt.arg")
	case bytes > 0:
		return extractor{typ: TypeString, str: func(in *Input) (string, bool) {
			i := p.of(in.Event)
			if i < 0 || i >= int(in.Event.NParams) {
				return "", false
			}
			return str(in.Event.Bytes(i)), true
		}}, nil
	}
	return extractor{typ: TypeInt, num: func(in *Input) (int64, bool) {
		i := p.of(in.Event)
		if i < 0 || i >= int(in.Event.NParams) {
			return 0, false
		}
		return int64(in.Event.Params[i].Val), true
	}}, nil
}
