package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Delay is how long a pass runs before its bar appears; Every is the redraw period.
const (
	Delay = 2 * time.Second
	Every = 100 * time.Millisecond
)

// width is the bar's length in characters, inside the brackets.
const width = 25

// Bar is a progress bar for a count of done items out of a known total.
type Bar struct {
	w     io.Writer
	label string
	unit  string
	total uint64
	on    bool
	now   func() time.Time
	start time.Time
	last  time.Time
	drawn bool
}

// New returns a bar for total items (total 0: unknown, no percentage or ETA) that
// draws on w when w is a terminal.
func New(w io.Writer, label, unit string, total uint64) *Bar {
	return newBar(w, label, unit, total, IsTerminal(w), time.Now)
}

func newBar(w io.Writer, label, unit string, total uint64, on bool, now func() time.Time) *Bar {
	return &Bar{w: w, label: label, unit: unit, total: total, on: on, now: now, start: now()}
}

// IsTerminal reports whether w is a terminal (a character device), without a
// platform-specific call.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Set records that done items are done and redraws when it is time to.
func (b *Bar) Set(done uint64) {
	if !b.on {
		return
	}
	t := b.now()
	if t.Sub(b.start) < Delay || t.Sub(b.last) < Every {
		return
	}
	b.last = t
	b.drawn = true
	fmt.Fprintf(b.w, "\r%s\x1b[K", b.line(done, t.Sub(b.start)))
}

// Done clears the bar's line, if it was drawn.
func (b *Bar) Done() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.drawn = false
	}
}

// line renders the bar for done items after elapsed time.
func (b *Bar) line(done uint64, elapsed time.Duration) string {
	rate := float64(done) / max(elapsed.Seconds(), 1e-9)
	var s strings.Builder
	s.WriteString(b.label + "  ")
	if b.total > 0 {
		frac := min(float64(done)/float64(b.total), 1)
		fill := int(frac * width)
		s.WriteString("[" + strings.Repeat("=", fill))
		if fill < width {
			s.WriteString(">" + strings.Repeat(" ", width-fill-1))
		}
		fmt.Fprintf(&s, "] %3d%%  %s/%s %s", int(frac*100), count(float64(done)), count(float64(b.total)), b.unit)
	} else {
		fmt.Fprintf(&s, "%s %s", count(float64(done)), b.unit)
	}
	fmt.Fprintf(&s, "  %s/s", count(rate))
	if b.total > done && rate > 0 {
		eta := time.Duration(float64(b.total-done) / rate * float64(time.Second))
		s.WriteString("  ETA " + eta.Round(time.Second).String())
	}
	return s.String()
}

// count renders a count with a metric suffix: 950, 12.3k, 4.2M.
func count(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.1fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
