package query

import "errors"

// globMatch reports whether s matches the shell pattern pat: * is any run of
// characters (slashes included, as Falco's glob), ? is one byte, [a-z] and [!a-z] are
// byte classes, \ quotes the next byte. With fold, s is compared in lower case (pat is
// already lower case). It does not allocate, and it backtracks only to the last star,
// so it runs in O(len(pat)·len(s)).
func globMatch(pat, s string, fold bool) bool {
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(pat) {
			switch pat[px] {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				px++
				sx++
				continue
			case '[':
				if ok, n := matchClass(pat[px:], fold1(s[sx], fold)); ok {
					px += n
					sx++
					continue
				}
			default:
				c, n := literal(pat[px:])
				if c == fold1(s[sx], fold) {
					px += n
					sx++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		px, sx = starP+1, starS
	}
	for px < len(pat) && pat[px] == '*' {
		px++
	}
	return px == len(pat)
}

func fold1(b byte, fold bool) byte {
	if fold {
		return lowerASCII(b)
	}
	return b
}

// literal returns the byte a pattern position stands for and how many bytes it takes.
func literal(p string) (byte, int) {
	if p[0] == '\\' && len(p) > 1 {
		return p[1], 2
	}
	return p[0], 1
}

// matchClass matches c against the class at the start of p ("[...]") and returns the
// class's length. A malformed class matches nothing (checkGlob rejects it first).
func matchClass(p string, c byte) (bool, int) {
	i := 1
	neg := i < len(p) && (p[i] == '!' || p[i] == '^')
	if neg {
		i++
	}
	matched := false
	for first := true; i < len(p); first = false {
		if p[i] == ']' && !first {
			return matched != neg, i + 1
		}
		lo, n := literal(p[i:])
		i += n
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi, n = literal(p[i+1:])
			i += 1 + n
		}
		if lo <= c && c <= hi {
			matched = true
		}
	}
	return false, len(p)
}

// checkGlob reports a class that is never closed or a trailing backslash.
func checkGlob(pat string) error {
	for i := 0; i < len(pat); i++ {
		switch pat[i] {
		case '\\':
			if i+1 == len(pat) {
				return errors.New("trailing backslash")
			}
			i++
		case '[':
			j := i + 1
			if j < len(pat) && (pat[j] == '!' || pat[j] == '^') {
				j++
			}
			if j < len(pat) && pat[j] == ']' {
				j++
			}
			for j < len(pat) && pat[j] != ']' {
				if pat[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(pat) {
				return errors.New("unclosed [")
			}
			i = j
		}
	}
	return nil
}
