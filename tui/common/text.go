package common

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Rel formats instant ns relative to origin, as seconds with milliseconds: "+12.345s".
func Rel(ns, origin int64) string {
	return fmt.Sprintf("+%.3fs", float64(ns-origin)/1e9)
}

// Clock formats instant ns as UTC time of day with microseconds.
func Clock(ns int64) string {
	return time.Unix(0, ns).UTC().Format("15:04:05.000000")
}

// Dur formats a duration in ns briefly: "850µs", "12ms", "3.2s", "2m05s".
func Dur(ns int64) string {
	d := time.Duration(ns)
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// Pad cuts or pads s to exactly w cells (s is plain text).
func Pad(s string, w int) string {
	n := utf8.RuneCountInString(s)
	if n > w {
		r := []rune(s)
		if w <= 1 {
			return string(r[:w])
		}
		return string(r[:w-1]) + "…"
	}
	return s + strings.Repeat(" ", w-n)
}

// Printable returns b as text with control bytes and invalid UTF-8 shown as '.',
// keeping newlines.
func Printable(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == utf8.RuneError && n <= 1, r < 0x20, r == 0x7f:
			sb.WriteByte('.')
		default:
			sb.WriteRune(r)
		}
		b = b[n:]
	}
	return sb.String()
}

// HexDump returns b as lines of 16 bytes: offset, hex and ASCII.
func HexDump(b []byte) []string {
	var out []string
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		var hex, asc strings.Builder
		for i := 0; i < 16; i++ {
			if i < len(row) {
				fmt.Fprintf(&hex, "%02x ", row[i])
				c := row[i]
				if c < 0x20 || c >= 0x7f {
					c = '.'
				}
				asc.WriteByte(c)
			} else {
				hex.WriteString("   ")
			}
			if i == 7 {
				hex.WriteByte(' ')
			}
		}
		out = append(out, fmt.Sprintf("%08x  %s |%s|", off, hex.String(), asc.String()))
	}
	return out
}

// OneLine returns b with control characters escaped (\n, \r, \t, \xNN), so that a
// value with line breaks stays on one screen line.
func OneLine(b []byte) string {
	var sb strings.Builder
	for _, r := range string(b) {
		switch {
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
