package query

import (
	"math"

	"github.com/syscam/syscam/event"
)

// credName returns the name Falco gives a uid or gid parameter (its types PT_UID and
// PT_GID): the user or group of that id in the trace's passwd and group records,
// "<NONE>" for -1 (setresuid's "leave unchanged"). ok is false when the id has no
// record or no replay runs: the caller then prints the number (Falco prints <NA>,
// which in syscam means a field that does not apply).
func credName(in *Input, kind event.Kind, v uint64) (string, bool) {
	id := uint32(v)
	if id == math.MaxUint32 {
		return "<NONE>", true
	}
	if in.View == nil {
		return "", false
	}
	if kind == event.KindGID {
		if g := in.View.Engine().Group(id); g != nil {
			return g.Name, true
		}
		return "", false
	}
	if u := in.View.Engine().User(id); u != nil {
		return u.Name, true
	}
	return "", false
}
