package query

import (
	"encoding/hex"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// smallSet is how many values a linear scan beats a map lookup for.
const smallSet = 8

// strTest builds the test a string or bytes field's value must pass.
func (c *compiler) strTest(op Op, items []Value) (func(string) bool, error) {
	vals := texts(items)
	switch op {
	case OpEq:
		v := vals[0]
		return func(s string) bool { return s == v }, nil
	case OpNe:
		v := vals[0]
		return func(s string) bool { return s != v }, nil
	case OpIn, OpIntersects:
		return inStrings(vals), nil
	case OpContains:
		return anyString(vals, strings.Contains), nil
	case OpStartsWith:
		return anyString(vals, strings.HasPrefix), nil
	case OpEndsWith:
		return anyString(vals, strings.HasSuffix), nil
	case OpIContains:
		return anyString(lowered(vals), containsFold), nil
	case OpBContains, OpBStartsWith:
		return c.byteTest(op, items)
	case OpGlob, OpIGlob:
		return c.globTest(op, items)
	case OpPMatch:
		return pmatch(vals), nil
	case OpRegex:
		return c.regexTest(items)
	}
	return nil, c.errorf(items[0].At, "operator %s does not apply to strings", op)
}

func texts(items []Value) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Text
	}
	return out
}

func lowered(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.ToLower(v)
	}
	return out
}

// anyString is true when test(s, v) holds for one of vals: contains and friends take a
// single value in Falco, and a list here matches any of its items.
func anyString(vals []string, test func(s, v string) bool) func(string) bool {
	if len(vals) == 1 {
		v := vals[0]
		return func(s string) bool { return test(s, v) }
	}
	return func(s string) bool {
		for _, v := range vals {
			if test(s, v) {
				return true
			}
		}
		return false
	}
}

func inStrings(vals []string) func(string) bool {
	if len(vals) <= smallSet {
		return func(s string) bool {
			for _, v := range vals {
				if s == v {
					return true
				}
			}
			return false
		}
	}
	set := make(map[string]struct{}, len(vals))
	for _, v := range vals {
		set[v] = struct{}{}
	}
	return func(s string) bool { _, ok := set[s]; return ok }
}

// containsFold reports whether s contains the lower-case needle, ignoring ASCII case
// (as Falco's icontains), without allocating.
func containsFold(s, lowerNeedle string) bool {
	n := len(lowerNeedle)
	if n == 0 {
		return true
	}
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && lowerASCII(s[i+j]) == lowerNeedle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}

func lowerASCII(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// byteTest decodes the hex values of bcontains and bstartswith.
func (c *compiler) byteTest(op Op, items []Value) (func(string) bool, error) {
	vals := make([]string, len(items))
	for i, it := range items {
		b, err := hex.DecodeString(it.Text)
		if err != nil {
			return nil, c.errorf(it.At, "operator %s takes hex bytes (like 0a1bff); %q is not", op, it.Text)
		}
		vals[i] = string(b)
	}
	if op == OpBContains {
		return anyString(vals, strings.Contains), nil
	}
	return anyString(vals, strings.HasPrefix), nil
}

func (c *compiler) globTest(op Op, items []Value) (func(string) bool, error) {
	vals := texts(items)
	for _, it := range items {
		if err := checkGlob(it.Text); err != nil {
			return nil, c.errorf(it.At, "bad glob pattern %q: %v", it.Text, err)
		}
	}
	fold := op == OpIGlob
	if fold {
		vals = lowered(vals)
	}
	return anyString(vals, func(s, pat string) bool { return globMatch(pat, s, fold) }), nil
}

// pmatch is true when the value is one of the paths or lies below one of them.
func pmatch(paths []string) func(string) bool {
	clean := make([]string, len(paths))
	for i, p := range paths {
		clean[i] = strings.TrimRight(p, "/")
	}
	return func(s string) bool {
		for _, p := range clean {
			if strings.HasPrefix(s, p) && (len(s) == len(p) || s[len(p)] == '/') {
				return true
			}
		}
		return false
	}
}

func (c *compiler) regexTest(items []Value) (func(string) bool, error) {
	res := make([]*regexp.Regexp, len(items))
	for i, it := range items {
		re, err := regexp.Compile(it.Text)
		if err != nil {
			return nil, c.errorf(it.At, "bad regular expression %q: %v", it.Text, err)
		}
		res[i] = re
	}
	return func(s string) bool {
		for _, re := range res {
			if re.MatchString(s) {
				return true
			}
		}
		return false
	}, nil
}

// numTest builds the test of an integer, time or duration field.
func (c *compiler) numTest(t Type, op Op, items []Value) (func(int64) bool, error) {
	vals := make([]int64, len(items))
	for i, it := range items {
		v, err := parseNum(t, it.Text)
		if err != nil {
			return nil, c.errorf(it.At, "%v", err)
		}
		vals[i] = v
	}
	v := vals[0]
	switch op {
	case OpEq:
		return func(x int64) bool { return x == v }, nil
	case OpNe:
		return func(x int64) bool { return x != v }, nil
	case OpLt:
		return func(x int64) bool { return x < v }, nil
	case OpLe:
		return func(x int64) bool { return x <= v }, nil
	case OpGt:
		return func(x int64) bool { return x > v }, nil
	case OpGe:
		return func(x int64) bool { return x >= v }, nil
	case OpIn, OpIntersects:
		return inNums(vals), nil
	}
	return nil, c.errorf(items[0].At, "operator %s does not apply to numbers", op)
}

func inNums(vals []int64) func(int64) bool {
	if len(vals) <= smallSet {
		return func(x int64) bool {
			for _, v := range vals {
				if x == v {
					return true
				}
			}
			return false
		}
	}
	set := make(map[int64]struct{}, len(vals))
	for _, v := range vals {
		set[v] = struct{}{}
	}
	return func(x int64) bool { _, ok := set[x]; return ok }
}

// parseNum reads an integer (decimal, or hex after 0x), a time (ns since the epoch or
// RFC 3339) or a duration (ns or Go syntax: 1.5s, 200ms).
func parseNum(t Type, s string) (int64, error) {
	if v, err := parseInt(s); err == nil {
		return v, nil
	}
	switch t {
	case TypeTime:
		if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return tm.UnixNano(), nil
		}
		return 0, errf("%q is not a time: want ns since the epoch or RFC 3339 (2024-05-01T12:00:00Z)", s)
	case TypeDuration:
		if d, err := time.ParseDuration(s); err == nil {
			return int64(d), nil
		}
		return 0, errf("%q is not a duration: want ns or a duration like 1.5s", s)
	}
	return 0, errf("%q is not an integer", s)
}

func parseInt(s string) (int64, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		u, err := strconv.ParseUint(h, 16, 64)
		return int64(u), err
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	u, err := strconv.ParseUint(s, 10, 64)
	return int64(u), err
}

func (c *compiler) boolTest(op Op, items []Value) (func(bool) bool, error) {
	var seen [2]bool
	for _, it := range items {
		switch strings.ToLower(it.Text) {
		case "true":
			seen[1] = true
		case "false":
			seen[0] = true
		default:
			return nil, c.errorf(it.At, "%q is not a boolean: want true or false", it.Text)
		}
	}
	if op == OpNe {
		return func(b bool) bool { return !seen[b2i(b)] }, nil
	}
	return func(b bool) bool { return seen[b2i(b)] }, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ipTest matches addresses against addresses or CIDR networks: fd.ip = 10.0.0.1,
// fd.net = 10.0.0.0/8, fd.sip in (10.0.0.0/8, ::1).
func (c *compiler) ipTest(op Op, items []Value) (func(netip.Addr) bool, error) {
	nets := make([]netip.Prefix, len(items))
	for i, it := range items {
		p, err := parsePrefix(it.Text)
		if err != nil {
			return nil, c.errorf(it.At, "%q is not an IP address or network", it.Text)
		}
		nets[i] = p
	}
	in := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, n := range nets {
			if n.Contains(a) {
				return true
			}
		}
		return false
	}
	if op == OpNe {
		return func(a netip.Addr) bool { return !in(a) }, nil
	}
	return in, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
