package scap

import (
	"fmt"
	"os"

	"github.com/syscam/syscam/format"
)

// OpenSource opens what an inspect command is given: one .scap capture (plain or
// gzip, recognised by content whatever its name), or syscam traces, sets and
// directories (format.OpenSet). Mixing a capture with other files is refused.
func OpenSource(paths ...string) (format.Source, error) {
	for _, p := range paths {
		if !IsCapture(p) {
			continue
		}
		if len(paths) > 1 {
			return nil, fmt.Errorf("open %s: a .scap capture is read alone, not with other files", p)
		}
		return Open(p)
	}
	return format.OpenSet(paths...)
}

// IsCapture reports whether the regular file at p holds a scap capture (Probe on its
// content, whatever its name).
func IsCapture(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	return Probe(f, st.Size())
}
