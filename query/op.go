package query

// Op is a comparison operator.
type Op uint8

// Operators, as Falco names them.
const (
	OpNone Op = iota
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpContains
	OpIContains
	OpBContains
	OpStartsWith
	OpBStartsWith
	OpEndsWith
	OpGlob
	OpIGlob
	OpPMatch
	OpRegex
	OpIn
	OpIntersects
	OpExists
	opCount
)

var opNames = [opCount]string{"", "=", "!=", "<", "<=", ">", ">=", "contains", "icontains",
	"bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "pmatch", "regex",
	"in", "intersects", "exists"}

func (o Op) String() string {
	if o < opCount {
		return opNames[o]
	}
	return "op?"
}

// opByName maps operator text to its Op; "==" is "=".
func opByName(s string) Op {
	if s == "==" {
		return OpEq
	}
	for i, n := range opNames {
		if n == s && i > 0 {
			return Op(i)
		}
	}
	return OpNone
}

// takesList reports whether o's value is a parenthesised list.
func (o Op) takesList() bool { return o == OpIn || o == OpIntersects || o == OpPMatch }

// keywords cannot name a field, macro or list.
func isKeyword(s string) bool {
	switch s {
	case "and", "or", "not":
		return true
	}
	return opByName(s) != OpNone
}
