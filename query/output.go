package query

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultFormat is sysdig's default event line.
const DefaultFormat = "%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"

// NA is what text output prints for a field that does not apply to the event.
const NA = "<NA>"

// Formatter renders events with a format string: text with %field or %{field}
// references (%% is a percent sign), as sysdig's -p and Falco's rule outputs. It is
// not safe for concurrent use.
type Formatter struct {
	parts  []part
	fields []part // the field parts, first occurrence of each name, for JSON
	needs  Need
}

type part struct {
	lit  string // literal text, when ex is unset
	name string
	ex   extractor
	list *listWriter
}

// NewFormatter compiles a format string against the registry (nil: Builtin). Errors
// are *Error with the column of the bad reference in spec.
func NewFormatter(spec string, reg *Registry) (*Formatter, error) {
	if reg == nil {
		reg = Builtin()
	}
	f := &Formatter{}
	// A leading * is sysdig's "print even if fields are missing". It is skipped rather
	// than cut so that error columns count in the text as written.
	start := 0
	if strings.HasPrefix(spec, "*") {
		start = 1
	}
	var lit strings.Builder
	for i := start; i < len(spec); {
		c := spec[i]
		if c != '%' {
			lit.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(spec) && spec[i+1] == '%' {
			lit.WriteByte('%')
			i += 2
			continue
		}
		name, next, err := fieldAt(spec, i)
		if err != nil {
			return nil, err
		}
		p, err := bindPart(reg, spec, name, i)
		if err != nil {
			return nil, err
		}
		if lit.Len() > 0 {
			f.parts = append(f.parts, part{lit: lit.String()})
			lit.Reset()
		}
		f.add(p)
		i = next
	}
	if lit.Len() > 0 {
		f.parts = append(f.parts, part{lit: lit.String()})
	}
	return f, nil
}

func (f *Formatter) add(p part) {
	f.parts = append(f.parts, p)
	f.needs |= p.ex.needs
	for _, q := range f.fields {
		if q.name == p.name {
			return
		}
	}
	f.fields = append(f.fields, p)
}

// fieldAt reads the field reference at spec[i] == '%': %{name} or %name, where a bare
// name is letters, digits, _ and dots with an optional [argument], and a trailing dot
// ends the sentence rather than the name.
func fieldAt(spec string, i int) (name string, next int, err error) {
	if i+1 < len(spec) && spec[i+1] == '{' {
		end := strings.IndexByte(spec[i+2:], '}')
		if end < 0 {
			return "", 0, errorf(spec, positionAt(spec, i), "%%{ is never closed")
		}
		return spec[i+2 : i+2+end], i + 3 + end, nil
	}
	j := i + 1
	for j < len(spec) && isNameByte(spec[j]) {
		j++
	}
	if j < len(spec) && spec[j] == '[' {
		if end := strings.IndexByte(spec[j:], ']'); end > 0 {
			j += end + 1
		}
	}
	for j > i+1 && spec[j-1] == '.' {
		j--
	}
	if j == i+1 {
		return "", 0, errorf(spec, positionAt(spec, i), "%% is not followed by a field name (write %%%% for a percent sign)")
	}
	return spec[i+1 : j], j, nil
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func bindPart(reg *Registry, spec, name string, at int) (part, error) {
	ref := FieldRef{At: positionAt(spec, at+1), Name: name}
	if i := strings.IndexByte(name, '['); i > 0 && strings.HasSuffix(name, "]") {
		ref.Name, ref.Arg, ref.HasArg = name[:i], name[i+1:len(name)-1], true
		ref.ArgAt = advance(spec, ref.At, i+1)
	}
	_, ex, err := reg.bindRef(ref, spec)
	if err != nil {
		return part{}, err
	}
	p := part{name: name, ex: ex}
	if ex.list {
		p.list = &listWriter{}
	}
	return p, nil
}

// Needs says which parts of the replay the format reads.
func (f *Formatter) Needs() Need { return f.needs }

// Fields returns the field names the format references, in order, without repeats.
func (f *Formatter) Fields() []string {
	out := make([]string, len(f.fields))
	for i, p := range f.fields {
		out[i] = p.name
	}
	return out
}

// AppendText appends the formatted line for in (without a newline); absent fields
// print as <NA>.
func (f *Formatter) AppendText(dst []byte, in *Input) []byte {
	for i := range f.parts {
		p := &f.parts[i]
		if p.name == "" {
			dst = append(dst, p.lit...)
			continue
		}
		var ok bool
		if dst, ok = p.appendValue(dst, in, false); !ok {
			dst = append(dst, NA...)
		}
	}
	return dst
}

// AppendJSON appends one JSON object keyed by field name, in format order: numbers and
// booleans as JSON numbers and booleans, absent fields as null.
func (f *Formatter) AppendJSON(dst []byte, in *Input) []byte {
	dst = append(dst, '{')
	for i := range f.fields {
		p := &f.fields[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, p.name)
		dst = append(dst, ':')
		var ok bool
		if dst, ok = p.appendValue(dst, in, true); !ok {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, '}')
}

// appendValue appends the field's value as text, or as a JSON value with asJSON.
func (p *part) appendValue(dst []byte, in *Input, asJSON bool) ([]byte, bool) {
	ex := &p.ex
	if ex.list {
		return p.list.append(dst, in, ex, asJSON)
	}
	switch ex.typ {
	case TypeString, TypeBytes:
		if ex.app != nil && !asJSON {
			return ex.app(dst, in)
		}
		s, ok := ex.str(in)
		if !ok {
			return dst, false
		}
		return appendStr(dst, s, ex.typ, asJSON), true
	case TypeInt, TypeTime, TypeDuration:
		v, ok := ex.num(in)
		if !ok {
			return dst, false
		}
		return strconv.AppendInt(dst, v, 10), true
	case TypeBool:
		b, ok := ex.flag(in)
		if !ok {
			return dst, false
		}
		return strconv.AppendBool(dst, b), true
	case TypeIP:
		a, ok := ex.ip(in)
		if !ok {
			return dst, false
		}
		return appendIP(dst, a, asJSON), true
	}
	return dst, false
}

func appendStr(dst []byte, s string, t Type, asJSON bool) []byte {
	if asJSON {
		return appendJSONString(dst, s)
	}
	if t == TypeBytes {
		return appendDots(dst, bytesOf(s))
	}
	return append(dst, s...)
}

func appendIP(dst []byte, a netip.Addr, asJSON bool) []byte {
	if asJSON {
		dst = append(dst, '"')
		dst = a.AppendTo(dst)
		return append(dst, '"')
	}
	return a.AppendTo(dst)
}

// listWriter prints every value of a list field, separated by spaces (a JSON array).
// Its test closure is made once, so printing does not allocate.
type listWriter struct {
	dst    []byte
	n      int
	asJSON bool
	typ    Type
	strFn  func(string) bool
	numFn  func(int64) bool
	ipFn   func(netip.Addr) bool
}

func (w *listWriter) sep() {
	if w.n > 0 {
		if w.asJSON {
			w.dst = append(w.dst, ',')
		} else {
			w.dst = append(w.dst, ' ')
		}
	}
	w.n++
}

func (w *listWriter) append(dst []byte, in *Input, ex *extractor, asJSON bool) ([]byte, bool) {
	if w.strFn == nil {
		w.strFn = func(s string) bool { w.sep(); w.dst = appendStr(w.dst, s, w.typ, w.asJSON); return false }
		w.numFn = func(v int64) bool { w.sep(); w.dst = strconv.AppendInt(w.dst, v, 10); return false }
		w.ipFn = func(a netip.Addr) bool { w.sep(); w.dst = appendIP(w.dst, a, w.asJSON); return false }
	}
	w.dst, w.n, w.asJSON, w.typ = dst, 0, asJSON, ex.typ
	if asJSON {
		w.dst = append(w.dst, '[')
	}
	switch {
	case ex.anyStr != nil:
		ex.anyStr(in, w.strFn)
	case ex.anyNum != nil:
		ex.anyNum(in, w.numFn)
	default:
		ex.anyIP(in, w.ipFn)
	}
	if asJSON {
		w.dst = append(w.dst, ']')
		return w.dst, w.n > 0
	}
	return w.dst, w.n > 0
}

// appendDots appends b with every byte that is not printable text shown as '.', as
// sysdig prints buffers; line breaks and tabs too, so that one event stays one line.
func appendDots(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x20 && c < 0x7f {
			j := i + 1
			for j < len(b) && b[j] >= 0x20 && b[j] < 0x7f {
				j++
			}
			dst = append(dst, b[i:j]...)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, '.')
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			dst = append(dst, '.')
		} else {
			dst = append(dst, b[i:i+n]...)
		}
		i += n
	}
	return dst
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, `\n`...)
		case '\t':
			dst = append(dst, `\t`...)
		case '\r':
			dst = append(dst, `\r`...)
		default:
			dst = append(dst, `\u00`...)
			dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
		}
		i++
	}
	return append(dst, '"')
}
