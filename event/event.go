package event

import "strconv"

// MaxParams is the most parameters an event type may have.
const MaxParams = 32

// Event flags.
const (
	// FlagEnter marks an event recorded at sys_enter: the call had not returned, so Ret
	// and the parameters only known at exit are zero (evt.dir is ">").
	FlagEnter uint8 = 1 << iota
	// FlagTruncated marks an event whose parameters the recorder could not read whole
	// (a path longer than its buffer, an argv cut at the kernel's limit).
	FlagTruncated
)

// Event is one recorded occurrence: a syscall, a lifecycle change, a capture notice or
// a state-snapshot record. The zero Event is empty and ready to fill.
type Event struct {
	Num     uint64 // position in its trace, from 1; set by readers
	Time    int64  // wall clock, ns since the Unix epoch
	Latency int64  // ns from sys_enter to sys_exit, 0 when unknown
	Ret     int64  // return value (negative errno on failure)
	TID     int32  // thread id (host pid namespace)
	PID     int32  // thread-group id
	CPU     uint16
	Type    Type
	Flags   uint8
	NParams uint8
	Params  [MaxParams]Param
	buf     []byte
}

// Param is one parameter value. Integer kinds use Val; byte kinds refer to the event
// buffer and are read with Event.Bytes.
type Param struct {
	Val  uint64
	off  uint32
	n    uint32
	Orig uint32 // KindBytes: length before the snaplen cut (≥ len of the kept bytes)
}

// Reset empties e for reuse, keeping its buffer.
func (e *Event) Reset() {
	// Only the parameters in use are cleared: zeroing all MaxParams would cost more
	// than decoding a small event.
	clear(e.Params[:e.NParams])
	e.Num, e.Time, e.Latency, e.Ret = 0, 0, 0, 0
	e.TID, e.PID, e.CPU, e.Type, e.Flags, e.NParams = 0, 0, 0, 0, 0, 0
	e.buf = e.buf[:0]
}

// Info returns the description of e's type; never nil (unknown types describe
// themselves as generic).
func (e *Event) Info() *Info { return Lookup(e.Type) }

// Name returns the type name, as Falco's evt.type.
func (e *Event) Name() string { return Lookup(e.Type).Name }

// Failed reports whether a syscall returned an error.
func (e *Event) Failed() bool { return e.Ret < 0 && e.Ret > -4096 && Lookup(e.Type).Syscall >= 0 }

// Int returns parameter i as a signed integer.
func (e *Event) Int(i int) int64 { return int64(e.Params[i].Val) }

// Uint returns parameter i as an unsigned integer.
func (e *Event) Uint(i int) uint64 { return e.Params[i].Val }

// Bytes returns the bytes of parameter i (path, string, buffer, socket address or
// string list). The slice aliases e's buffer: it is valid until e is reset or grown.
func (e *Event) Bytes(i int) []byte {
	p := &e.Params[i]
	return e.buf[p.off : p.off+p.n : p.off+p.n]
}

// SetInt sets integer parameter i, extending NParams as needed.
func (e *Event) SetInt(i int, v uint64) {
	e.Params[i].Val = v
	e.extend(i)
}

// SetBytes copies b into e's buffer as parameter i. For KindBytes parameters, orig is
// the length before any cut; pass len(b) otherwise.
func (e *Event) SetBytes(i int, b []byte, orig uint32) {
	copy(e.Grow(i, len(b)), b)
	e.Params[i].Orig = orig
}

// SetString is SetBytes for a string.
func (e *Event) SetString(i int, s string) {
	copy(e.Grow(i, len(s)), s)
	e.Params[i].Orig = uint32(len(s))
}

// Grow reserves n bytes of e's buffer as the value of parameter i and returns them for
// the caller to fill: decoders write straight into the event this way. Earlier byte
// parameters stay valid (they are kept as offsets).
func (e *Event) Grow(i int, n int) []byte {
	off := len(e.buf)
	if cap(e.buf)-off < n {
		nb := make([]byte, off, 2*cap(e.buf)+n)
		copy(nb, e.buf)
		e.buf = nb
	}
	e.buf = e.buf[:off+n]
	p := &e.Params[i]
	p.off, p.n, p.Orig = uint32(off), uint32(n), uint32(n)
	e.extend(i)
	return e.buf[off : off+n : off+n]
}

// AppendString appends s and a NUL to string-list parameter i, which must be the last
// byte parameter written.
func (e *Event) AppendString(i int, s string) {
	p := &e.Params[i]
	if p.n == 0 {
		p.off = uint32(len(e.buf))
	}
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, 0)
	p.n = uint32(len(e.buf)) - p.off
	p.Orig = p.n
	e.extend(i)
}

func (e *Event) extend(i int) {
	if i >= int(e.NParams) {
		e.NParams = uint8(i + 1)
	}
}

// BufLen returns how many bytes of variable-length data e holds.
func (e *Event) BufLen() int { return len(e.buf) }

// Clone returns a deep copy of e that shares no memory with it.
func (e *Event) Clone() *Event {
	c := *e
	c.buf = append([]byte(nil), e.buf...)
	return &c
}

// CopyFrom makes e a deep copy of src, reusing e's buffer.
func (e *Event) CopyFrom(src *Event) {
	buf := append(e.buf[:0], src.buf...)
	*e = *src
	e.buf = buf
}

// Param returns the index of the parameter named name in e's type, or -1.
func (e *Event) Param(name string) int {
	return Lookup(e.Type).ParamIndex(name)
}

// Equal reports whether a and b hold the same event: the same header fields and the
// same parameter values (byte parameters compared by content, not placement).
func Equal(a, b *Event) bool {
	if a.Num != b.Num || a.Time != b.Time || a.Latency != b.Latency || a.Ret != b.Ret ||
		a.TID != b.TID || a.PID != b.PID || a.CPU != b.CPU || a.Type != b.Type ||
		a.Flags != b.Flags || a.NParams != b.NParams {
		return false
	}
	info := Lookup(a.Type)
	for i := 0; i < int(a.NParams); i++ {
		if info.ParamKind(i).IsBytes() {
			if string(a.Bytes(i)) != string(b.Bytes(i)) || a.Params[i].Orig != b.Params[i].Orig {
				return false
			}
		} else if a.Params[i].Val != b.Params[i].Val {
			return false
		}
	}
	return true
}

// String renders e on one line for debugging and test failures.
func (e *Event) String() string {
	b := make([]byte, 0, 128)
	b = strconv.AppendUint(b, e.Num, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, e.Time, 10)
	b = append(b, " cpu="...)
	b = strconv.AppendUint(b, uint64(e.CPU), 10)
	b = append(b, " tid="...)
	b = strconv.AppendInt(b, int64(e.TID), 10)
	b = append(b, " pid="...)
	b = strconv.AppendInt(b, int64(e.PID), 10)
	if e.Flags&FlagEnter != 0 {
		b = append(b, " > "...)
	} else {
		b = append(b, " < "...)
	}
	b = append(b, e.Name()...)
	b = append(b, " res="...)
	b = strconv.AppendInt(b, e.Ret, 10)
	if e.Latency != 0 {
		b = append(b, " lat="...)
		b = strconv.AppendInt(b, e.Latency, 10)
	}
	b = append(b, ' ')
	b = e.AppendArgs(b)
	return string(b)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
