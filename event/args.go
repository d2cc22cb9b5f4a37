package event

import (
	"encoding/hex"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendArgs appends "name=value" for every parameter, separated by spaces, as
// sysdig's evt.args does.
func (e *Event) AppendArgs(dst []byte) []byte {
	info := e.Info()
	for i := 0; i < int(e.NParams) && i < len(info.Params); i++ {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, info.Params[i].Name...)
		dst = append(dst, '=')
		dst = e.AppendParam(dst, i)
	}
	return dst
}

// AppendParam appends the text form of parameter i: flags by name, modes in octal,
// socket addresses as host:port, buffers as printable text with dots for other bytes.
func (e *Event) AppendParam(dst []byte, i int) []byte {
	info := e.Info()
	if i >= len(info.Params) || i >= int(e.NParams) {
		return dst
	}
	pi := &info.Params[i]
	v := e.Params[i].Val
	switch pi.Kind {
	case KindInt, KindFD, KindPID, KindErrno:
		return strconv.AppendInt(dst, int64(v), 10)
	case KindUint, KindUID, KindGID:
		return strconv.AppendUint(dst, v, 10)
	case KindHex:
		dst = append(dst, "0x"...)
		return strconv.AppendUint(dst, v, 16)
	case KindFlags, KindEnum:
		if pi.Set == nil {
			return strconv.AppendUint(dst, v, 10)
		}
		return pi.Set.Append(dst, v)
	case KindMode:
		dst = append(dst, '0')
		return strconv.AppendUint(dst, v, 8)
	case KindSignal:
		return Signals.Append(dst, v)
	case KindDuration:
		return append(dst, time.Duration(int64(v)).String()...)
	case KindTime:
		if v == 0 {
			return append(dst, '0')
		}
		return time.Unix(0, int64(v)).UTC().AppendFormat(dst, time.RFC3339Nano)
	case KindPath, KindString:
		return append(dst, e.Bytes(i)...)
	case KindBytes:
		return AppendPrintable(dst, e.Bytes(i))
	case KindSockAddr:
		sa, ok := ParseSockAddr(e.Bytes(i))
		if !ok {
			return append(dst, "NULL"...)
		}
		return sa.AppendText(dst)
	case KindStrings:
		return AppendStrings(dst, e.Bytes(i), ' ')
	case KindDigest:
		return AppendHex(dst, e.Bytes(i))
	}
	return dst
}

// AppendStrings appends a NUL-separated string list with sep between the items.
func AppendStrings(dst, list []byte, sep byte) []byte {
	for len(list) > 0 && list[len(list)-1] == 0 {
		list = list[:len(list)-1]
	}
	for _, c := range list {
		if c == 0 {
			c = sep
		}
		dst = append(dst, c)
	}
	return dst
}

// Strings calls fn for each item of a NUL-separated string list, stopping when fn
// returns false.
func Strings(list []byte, fn func(item []byte) bool) {
	for len(list) > 0 {
		n := 0
		for n < len(list) && list[n] != 0 {
			n++
		}
		if !fn(list[:n]) {
			return
		}
		if n == len(list) {
			return
		}
		list = list[n+1:]
	}
}

// AppendPrintable appends b with non-printable bytes shown as '.', as sysdig prints
// buffers. Valid UTF-8 text is kept as is.
func AppendPrintable(dst, b []byte) []byte {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			dst = append(dst, '.')
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			dst = append(dst, '.')
		default:
			dst = append(dst, b[:n]...)
		}
		b = b[n:]
	}
	return dst
}

// AppendHex appends b as lowercase hex.
func AppendHex(dst, b []byte) []byte {
	return hex.AppendEncode(dst, b)
}
