package event

// Kind says how a parameter's value is stored and shown. Kind values are written into
// trace file schemas: they are frozen, new kinds are only ever appended.
type Kind uint8

// Parameter kinds. Integer kinds keep their value in Param.Val; byte kinds keep it in
// the event's buffer (see Event.Bytes).
const (
	KindNone     Kind = 0  // no value
	KindInt      Kind = 1  // signed integer (two's complement in Val)
	KindUint     Kind = 2  // unsigned integer
	KindHex      Kind = 3  // unsigned integer shown in hex: addresses, raw arguments
	KindFlags    Kind = 4  // bit set, named by the parameter's FlagSet
	KindEnum     Kind = 5  // one value of the parameter's FlagSet (socket family, ptrace request)
	KindFD       Kind = 6  // file descriptor (signed: AT_FDCWD is -100)
	KindPID      Kind = 7  // process or thread id (signed)
	KindUID      Kind = 8  // user id
	KindGID      Kind = 9  // group id
	KindMode     Kind = 10 // file mode and permission bits, shown in octal
	KindSignal   Kind = 11 // signal number, shown by name
	KindDuration Kind = 12 // nanoseconds
	KindTime     Kind = 13 // wall-clock time, nanoseconds since the Unix epoch
	KindPath     Kind = 14 // file system path as the caller gave it (may be relative)
	KindString   Kind = 15 // text that is not a path: comm, fs type, module name
	KindBytes    Kind = 16 // I/O buffer, possibly cut to the snaplen; Param.Orig keeps the full length
	KindSockAddr Kind = 17 // socket address in the encoding of sockaddr.go
	KindStrings  Kind = 18 // list of strings, each ended by a NUL byte (argv, environment)
	KindErrno    Kind = 19 // return value: negative errno on failure
	KindDigest   Kind = 20 // a hash (an executable's SHA-256), shown in hex
	kindCount    Kind = 21
)

var kindNames = [kindCount]string{
	"none", "int", "uint", "hex", "flags", "enum", "fd", "pid", "uid", "gid", "mode",
	"signal", "duration", "time", "path", "string", "bytes", "sockaddr", "strings", "errno",
	"digest",
}

func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return "kind(" + itoa(int64(k)) + ")"
}

// IsBytes reports whether values of this kind live in the event buffer.
func (k Kind) IsBytes() bool {
	switch k {
	case KindPath, KindString, KindBytes, KindSockAddr, KindStrings, KindDigest:
		return true
	}
	return false
}

// IsSigned reports whether Param.Val holds a signed integer of this kind.
func (k Kind) IsSigned() bool {
	switch k {
	case KindInt, KindFD, KindPID, KindErrno, KindDuration, KindTime:
		return true
	}
	return false
}

// Valid reports whether k is a kind this version knows.
func (k Kind) Valid() bool { return k > KindNone && k < kindCount }

// KindByName returns the kind with the given String name.
func KindByName(name string) (Kind, bool) {
	for i, n := range kindNames {
		if n == name {
			return Kind(i), true
		}
	}
	return KindNone, false
}
