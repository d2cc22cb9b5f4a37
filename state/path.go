package state

// atFDCWD is AT_FDCWD: a dirfd meaning "relative to the cwd".
const atFDCWD = -100

// resolve returns the absolute, cleaned form of name for a thread: name itself when
// absolute, else relative to dirfd's directory (the cwd for AT_FDCWD). An empty name
// (AT_EMPTY_PATH) names dirfd itself. A base that is unknown is taken as "/" so the
// result is at least the name the caller gave, cleaned: "<unknown>/x" would match
// nothing a user filters on.
func (e *Engine) resolve(t *Thread, dirfd int32, name []byte) string {
	if len(name) > 0 && name[0] == '/' {
		if isClean(name) {
			return e.intern(name) // the common case: nothing to join or clean
		}
		return e.clean(nil, name)
	}
	base := t.Proc.Cwd
	if dirfd != atFDCWD {
		if f := t.FD(dirfd); f != nil {
			base = f.Name
		} else {
			base = ""
		}
	}
	if len(name) == 0 {
		return base
	}
	return e.clean([]byte(base), name)
}

// clean joins base and name and removes ".", ".." and repeated slashes, as
// path.Clean does, with one allocation for the result.
func (e *Engine) clean(base, name []byte) string {
	b := append(e.scratch[:0], '/')
	b = appendClean(b, base)
	b = appendClean(b, name)
	if len(b) > 1 && b[len(b)-1] == '/' {
		b = b[:len(b)-1]
	}
	e.scratch = b
	return e.intern(b)
}

// maxInterned bounds the path cache; past it the cache starts over.
const maxInterned = 1 << 16

// intern returns b as a string, shared with earlier equal paths: a trace opens the
// same few thousand files over and over, and each open would otherwise allocate.
func (e *Engine) intern(b []byte) string {
	if s, ok := e.paths[string(b)]; ok {
		return s
	}
	if len(e.paths) >= maxInterned {
		clear(e.paths)
	}
	s := string(b)
	e.paths[s] = s
	return s
}

// appendClean appends the elements of p to b, which holds a clean absolute path
// ending in '/', applying "." and "..".
func appendClean(b, p []byte) []byte {
	for len(p) > 0 {
		i := 0
		for i < len(p) && p[i] != '/' {
			i++
		}
		elem := p[:i]
		switch {
		case len(elem) == 0 || string(elem) == ".":
		case string(elem) == "..":
			b = parentDir(b)
		default:
			b = append(b, elem...)
			b = append(b, '/')
		}
		if i == len(p) {
			break
		}
		p = p[i+1:]
	}
	return b
}

// parentDir cuts the last element of b ("/a/b/" becomes "/a/"); "/" stays.
func parentDir(b []byte) []byte {
	if len(b) <= 1 {
		return b
	}
	i := len(b) - 2
	for i > 0 && b[i] != '/' {
		i--
	}
	return b[:i+1]
}

// isClean reports whether an absolute path has no empty, "." or ".." element and no
// trailing slash, so that cleaning would not change it.
func isClean(p []byte) bool {
	if len(p) > 1 && p[len(p)-1] == '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '/' || i+1 >= len(p) {
			continue
		}
		switch c := p[i+1]; {
		case c == '/':
			return false
		case c == '.' && (i+2 == len(p) || p[i+2] == '/'):
			return false
		case c == '.' && p[i+2] == '.' && (i+3 == len(p) || p[i+3] == '/'):
			return false
		}
	}
	return true
}
