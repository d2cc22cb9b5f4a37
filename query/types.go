package query

// Type is the type of a field's values. It decides which operators apply and how
// values print.
type Type uint8

// Field types, named as in `inspect fields`.
const (
	TypeNone     Type = iota
	TypeString        // text
	TypeBytes         // binary buffer, printed with dots for unprintable bytes
	TypeInt           // signed 64-bit integer
	TypeBool          // true or false
	TypeTime          // absolute time, ns since the Unix epoch
	TypeDuration      // relative time, ns
	TypeIP            // IPv4 or IPv6 address; compared with addresses or CIDR networks
	TypeDynamic       // decided by the field's argument (evt.rawarg)
)

var typeNames = [...]string{"none", "string", "bytes", "int", "bool", "abstime", "reltime", "ipaddr", "dynamic"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type?"
}

// ops returns the operators that apply to values of t.
func (t Type) ops() []Op {
	switch t {
	case TypeString, TypeBytes:
		return []Op{OpEq, OpNe, OpContains, OpIContains, OpBContains, OpStartsWith,
			OpBStartsWith, OpEndsWith, OpGlob, OpIGlob, OpPMatch, OpRegex, OpIn, OpIntersects, OpExists}
	case TypeInt, TypeTime, TypeDuration:
		return []Op{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIn, OpIntersects, OpExists}
	case TypeBool:
		return []Op{OpEq, OpNe, OpIn, OpExists}
	case TypeIP:
		return []Op{OpEq, OpNe, OpIn, OpIntersects, OpExists}
	}
	return []Op{OpExists}
}

func (t Type) allows(op Op) bool {
	for _, o := range t.ops() {
		if o == op {
			return true
		}
	}
	return false
}
