package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// FollowFormats are the output formats of FollowWriter.
var FollowFormats = []string{"text", "hex", "raw"}

// Gap is a run of bytes a call moved that the trace does not hold.
type Gap struct {
	Dir    Direction
	Offset int64 // in the direction's stream
	Len    int64
	Cut    bool // cut by the snaplen (else the call has no buffer: sendfile)
	Time   int64
}

// FollowWriter writes chunks as text (a header per run, printable bytes, gaps
// marked in brackets), a hex dump (offsets per direction, as Wireshark's follow
// stream) or raw bytes (the recorded bytes only, gaps left out: see Gaps).
//
// Text and hex coalesce chunks into runs, as Wireshark's follow stream does: a run
// is the chunks of one stream (host, process, fd) in one direction, each starting
// where the previous one ended, so a peer that reads one byte per call still prints
// as one block. A run ends when the direction (shown or not) or the stream changes,
// after a chunk
// whose bytes were not all recorded (the gap line follows the bytes before it), and
// at maxRun bytes, to bound memory.
type FollowWriter struct {
	bw     *bufio.Writer
	format string
	dirs   [2]bool
	stream string // key of the last run's stream, to print a header when it changes
	run    run
	gaps   []Gap
	bytes  [2]int64
	chunks uint64
}

// maxRun is the most bytes a run buffers before it is written and a new run starts.
const maxRun = 64 << 10

// run is the chunks being coalesced. first holds the first chunk's fields (its Data
// is not kept; data holds the bytes of every chunk), last the last chunk's, whose
// missing bytes, if any, end the run.
type run struct {
	first, last Chunk
	key         string
	data        []byte
	len         int64 // bytes the calls moved
	calls       int
	syscalls    []string
	missing     int64 // bytes of the last chunk not recorded
}

// NewFollowWriter returns a writer of the named format for the directions wanted
// (in, out or both).
func NewFollowWriter(w io.Writer, format string, in, out bool) (*FollowWriter, error) {
	switch format {
	case "text", "hex", "raw":
	default:
		return nil, fmt.Errorf("follow format %q: want text, hex or raw", format)
	}
	return &FollowWriter{bw: bufio.NewWriterSize(w, 64<<10), format: format, dirs: [2]bool{in, out}}, nil
}

// Gaps returns the gaps of the chunks written so far.
func (fw *FollowWriter) Gaps() []Gap { return fw.gaps }

// Calls returns how many calls were written (those of the directions shown).
func (fw *FollowWriter) Calls() uint64 { return fw.chunks }

// Summary says what was written: chunks, bytes each way and bytes missing.
func (fw *FollowWriter) Summary() string {
	var missing int64
	for _, g := range fw.gaps {
		missing += g.Len
	}
	return fmt.Sprintf("%d calls, %d bytes out, %d bytes in, %d gaps (%d bytes not recorded)",
		fw.chunks, fw.bytes[Out], fw.bytes[In], len(fw.gaps), missing)
}

// Write writes one chunk, or adds it to the run being coalesced.
func (fw *FollowWriter) Write(c *Chunk) error {
	if !fw.dirs[c.Dir] {
		// The other direction spoke: what follows is a new exchange, even when only
		// one direction is shown.
		if fw.format != "raw" {
			fw.flush()
		}
		return nil
	}
	fw.chunks++
	fw.bytes[c.Dir] += c.Len
	if m := c.Missing(); m > 0 {
		fw.gaps = append(fw.gaps, Gap{Dir: c.Dir, Offset: c.Offset + int64(len(c.Data)), Len: m, Cut: c.Cut, Time: c.Time})
	}
	if fw.format == "raw" {
		_, err := fw.bw.Write(c.Data)
		return err
	}
	key := streamKey(c)
	if fw.run.calls > 0 && !fw.run.continues(c, key) {
		fw.flush()
	}
	fw.run.add(c, key)
	if c.Missing() > 0 || len(fw.run.data) >= maxRun {
		fw.flush()
	}
	return nil
}

// Close writes the last run and flushes what is buffered.
func (fw *FollowWriter) Close() error {
	if fw.format != "raw" {
		fw.flush()
	}
	return fw.bw.Flush()
}

func streamKey(c *Chunk) string { return fmt.Sprintf("%s %d %d %s", c.Host, c.PID, c.FD, c.Stream) }

// continues reports whether c goes on where the run stopped: same stream and
// direction, starting at the run's end.
func (r *run) continues(c *Chunk, key string) bool {
	return key == r.key && c.Dir == r.first.Dir && c.Offset == r.first.Offset+r.len
}

func (r *run) add(c *Chunk, key string) {
	if r.calls == 0 {
		r.first, r.key = *c, key
		r.first.Data = nil
	}
	r.last, r.missing = *c, c.Missing()
	r.last.Data = nil
	r.data = append(r.data, c.Data...)
	r.len += c.Len
	r.calls++
	if !slices.Contains(r.syscalls, c.Syscall) {
		r.syscalls = append(r.syscalls, c.Syscall)
	}
}

// flush writes the run (header, bytes, gap line) and empties it.
func (fw *FollowWriter) flush() {
	r := &fw.run
	if r.calls == 0 {
		return
	}
	fw.header(r)
	if fw.format == "hex" {
		fw.hexDump(r.data, r.first.Offset)
	} else {
		fw.text(r.data)
	}
	fw.gapLine(&r.last, r.missing)
	r.data, r.syscalls = r.data[:0], r.syscalls[:0]
	r.len, r.calls = 0, 0
}

func (fw *FollowWriter) header(r *run) {
	c := &r.first
	if r.key != fw.stream {
		fw.stream = r.key
		fmt.Fprintf(fw.bw, "=== %s %s[%d] fd %d %s ===\n", safe(c.Host), safe(c.Process), c.PID, c.FD, safe(c.Stream))
	}
	fmt.Fprintf(fw.bw, "%s %s %s, %s (%s)\n", arrow(c), FormatTime(c.Time), dirText(c), r.lenText(), strings.Join(r.syscalls, ", "))
}

func arrow(c *Chunk) string {
	if c.Dir == Out {
		return ">>>"
	}
	return "<<<"
}

// dirText names the direction: client -> server for connections, else the call's
// side (write, read) and the process.
func dirText(c *Chunk) string {
	toServer := (c.Dir == Out) == (c.Role != "server")
	switch {
	case c.Role != "" && toServer:
		return "client -> server"
	case c.Role != "":
		return "server -> client"
	case c.Dir == Out:
		return "written"
	}
	return "read"
}

// lenText says how many bytes the run moved, how many were recorded, and, for more
// than one call, in how many calls over how long.
func (r *run) lenText() string {
	var s string
	switch {
	case int64(len(r.data)) < r.len:
		s = fmt.Sprintf("%d of %d bytes recorded", len(r.data), r.len)
	case r.len == 1:
		s = "1 byte"
	default:
		s = fmt.Sprintf("%d bytes", r.len)
	}
	if r.calls > 1 {
		s += fmt.Sprintf(" in %d calls over %s", r.calls, fmtDur(r.last.Time-r.first.Time))
	}
	return s
}

func (fw *FollowWriter) gapLine(c *Chunk, m int64) {
	if m <= 0 {
		return
	}
	why := "not in the recorded buffer"
	switch {
	case c.Cut:
		why = "cut by the snaplen"
	case c.NoBuffer:
		why = c.Syscall + " carries no buffer"
	}
	fmt.Fprintf(fw.bw, "[... %d bytes not recorded: %s ...]\n", m, why)
}

// text writes the bytes as text: printable characters, newlines and tabs as they are,
// CRLF as a newline, anything else as a dot. The chunk ends with a newline.
func (fw *FollowWriter) text(data []byte) {
	b := data
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == '\r' && len(b) > 1 && b[1] == '\n':
		case r == '\n' || r == '\t':
			fw.bw.WriteRune(r)
		case r == utf8.RuneError && n <= 1, r < 0x20, r == 0x7f:
			fw.bw.WriteByte('.')
		default:
			fw.bw.Write(b[:n])
		}
		b = b[n:]
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		fw.bw.WriteByte('\n')
	}
}

// hexDump writes 16 bytes a line: offset in the direction's stream, hex, text.
func (fw *FollowWriter) hexDump(data []byte, offset int64) {
	for i := 0; i < len(data); i += 16 {
		line := data[i:min(i+16, len(data))]
		fmt.Fprintf(fw.bw, "%08x  ", offset+int64(i))
		for j := 0; j < 16; j++ {
			if j < len(line) {
				fmt.Fprintf(fw.bw, "%02x ", line[j])
			} else {
				fw.bw.WriteString("   ")
			}
			if j == 7 {
				fw.bw.WriteByte(' ')
			}
		}
		fw.bw.WriteString(" |")
		for _, ch := range line {
			if ch < 0x20 || ch >= 0x7f {
				ch = '.'
			}
			fw.bw.WriteByte(ch)
		}
		fw.bw.WriteString("|\n")
	}
}
