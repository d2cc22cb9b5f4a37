package data

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/query"
	"github.com/syscam/syscam/state"
)

// Param is one argument of an event.
type Param struct {
	Name  string
	Value string
	Bytes []byte // the raw buffer, for byte parameters
}

// Field is one filter field's value for an event.
type Field struct{ Name, Value string }

// Detail is everything known about one event.
type Detail struct {
	Event  *event.Event
	Params []Param
	Fields []Field // every field without a required argument that has a value
	FD     int32   // the fd the event names, -1 when none
	Target Target  // what following that fd means
}

// LoadDetail reads event num and replays the state up to it, from the nearest
// checkpoint, so that process, user and fd fields have their values at that instant.
func LoadDetail(t *Trace, num uint64) (*Detail, error) {
	e, err := t.Event(num)
	if err != nil {
		return nil, err
	}
	v, err := replayTo(t, e)
	if err != nil {
		return nil, fmt.Errorf("replay to event %d: %w", num, err)
	}
	d := &Detail{Event: e, Params: params(e), FD: -1}
	if v != nil && v.FD != nil {
		d.FD = v.FDNum
		d.Target = Target{PID: e.PID, FD: v.FDNum, Since: v.FD.Opened}
		if v.FD.Type.IsSocket() && v.FD.Local.IsValid() && v.FD.Remote.IsValid() {
			d.Target.Conn, d.Target.HasConn = [2]netip.AddrPort{v.FD.Local, v.FD.Remote}, true
		}
	}
	in := &query.Input{Event: e, View: v, Start: t.First, Location: time.UTC, Hostname: t.Header.Host.Hostname}
	d.Fields = fields(in)
	return d, nil
}

// replayTo returns e's place in the replayed state.
func replayTo(t *Trace, target *event.Event) (*state.View, error) {
	at, snap, err := t.Set.StateBefore(target.Time)
	if err != nil {
		return nil, err
	}
	eng := state.New(state.Config{})
	eng.Load(snap)
	it := t.Set.Events(format.Selection{From: at, To: target.Time + 1})
	defer it.Close()
	var e event.Event
	for it.Next(&e) {
		if e.Num == target.Num {
			return eng.Apply(target), nil
		}
		eng.Apply(&e)
	}
	return nil, it.Err()
}

func params(e *event.Event) []Param {
	info := e.Info()
	out := make([]Param, 0, e.NParams)
	for i := 0; i < int(e.NParams); i++ {
		p := Param{Name: fmt.Sprintf("arg%d", i), Value: string(e.AppendParam(nil, i))}
		if i < len(info.Params) {
			p.Name = info.Params[i].Name
			if info.ParamKind(i) == event.KindBytes {
				p.Bytes = append([]byte(nil), e.Bytes(i)...)
			}
		}
		out = append(out, p)
	}
	return out
}

func fields(in *query.Input) []Field {
	var out []Field
	var buf []byte
	for _, f := range query.Builtin().Fields() {
		if f.Arg == query.ArgRequired {
			continue
		}
		fm, err := query.NewFormatter("%"+f.Name, nil)
		if err != nil {
			continue
		}
		buf = fm.AppendText(buf[:0], in)
		if s := string(buf); s != "" && s != query.NA {
			out = append(out, Field{Name: f.Name, Value: s})
		}
	}
	return out
}
