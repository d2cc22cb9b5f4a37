package query

import (
	"strconv"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// appendArgs appends the parameters as name=value pairs, as sysdig's evt.args: an fd
// parameter is followed by the fd's type character and name when the replay knows it,
// fd=3(<f>/etc/passwd). Text and buffers show unprintable bytes, line breaks
// included, as dots: one event stays on one line.
func appendArgs(dst []byte, in *Input) []byte {
	e := in.Event
	info := e.Info()
	for i := 0; i < int(e.NParams) && i < len(info.Params); i++ {
		if i > 0 {
			dst = append(dst, ' ')
		}
		pi := &info.Params[i]
		dst = append(dst, pi.Name...)
		dst = append(dst, '=')
		v := e.Params[i].Val
		switch pi.Kind {
		case event.KindBytes, event.KindPath, event.KindString:
			dst = appendDots(dst, e.Bytes(i))
		case event.KindStrings:
			in.scratch2 = event.AppendStrings(in.scratch2[:0], e.Bytes(i), ' ')
			dst = appendDots(dst, in.scratch2)
		case event.KindFD:
			dst = strconv.AppendInt(dst, int64(v), 10)
			dst = appendFDNote(dst, in, int32(v))
		case event.KindInt, event.KindPID:
			dst = strconv.AppendInt(dst, int64(v), 10)
		case event.KindUint, event.KindUID, event.KindGID:
			dst = strconv.AppendUint(dst, v, 10)
		default:
			dst = e.AppendParam(dst, i)
		}
	}
	return dst
}

// appendInfo appends sysdig's evt.info: for a syscall's exit, its result first (fd=
// for calls that create an fd, res= otherwise, and res= too when an "fd" parameter
// follows, as accept's listening socket; the errno name on failure), then the
// parameters.
func appendInfo(dst []byte, in *Input) []byte {
	e := in.Event
	info := e.Info()
	if info.IsSyscall() && e.Flags&event.FlagEnter == 0 {
		if info.Flags&event.CreatesFD != 0 && evtTab.fdParam[e.Type] < 0 {
			dst = append(dst, "fd="...)
		} else {
			dst = append(dst, "res="...)
		}
		dst = strconv.AppendInt(dst, e.Ret, 10)
		switch {
		case e.Failed():
			dst = append(dst, '(')
			dst = event.AppendErrno(dst, -e.Ret)
			dst = append(dst, ')')
		case info.Flags&event.CreatesFD != 0:
			dst = appendFDNote(dst, in, int32(e.Ret))
		}
		if e.NParams > 0 {
			dst = append(dst, ' ')
		}
	}
	return appendArgs(dst, in)
}

// appendFDNote appends "(<f>/etc/passwd)" for fd num of the event's thread.
func appendFDNote(dst []byte, in *Input, num int32) []byte {
	if in.View == nil || num < 0 {
		return dst
	}
	var f *state.FD
	if num == in.View.FDNum {
		f = in.View.FD
	} else if in.View.Thread != nil {
		f = in.View.Thread.FD(num)
	}
	if f == nil {
		return dst
	}
	dst = append(dst, "(<"...)
	dst = append(dst, typeChar(f.Type)...)
	dst = append(dst, '>')
	dst = f.AppendName(dst)
	return append(dst, ')')
}
