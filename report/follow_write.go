package report

import (
	"bufio"
	"fmt"
	"io"
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

// FollowWriter writes chunks as text (a header per call, printable bytes, gaps
// marked in brackets), a hex dump (offsets per direction, as Wireshark's follow
// stream) or raw bytes (the recorded bytes only, gaps left out: see Gaps).
type FollowWriter struct {
	bw     *bufio.Writer
	format string
	dirs   [2]bool
	stream string // key of the last chunk's stream, to print a header when it changes
	gaps   []Gap
	bytes  [2]int64
	chunks uint64
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

// Summary says what was written: chunks, bytes each way and bytes missing.
func (fw *FollowWriter) Summary() string {
	var missing int64
	for _, g := range fw.gaps {
		missing += g.Len
	}
	return fmt.Sprintf("%d calls, %d bytes out, %d bytes in, %d gaps (%d bytes not recorded)",
		fw.chunks, fw.bytes[Out], fw.bytes[In], len(fw.gaps), missing)
}

// Write writes one chunk.
func (fw *FollowWriter) Write(c *Chunk) error {
	if !fw.dirs[c.Dir] {
		return nil
	}
	fw.chunks++
	fw.bytes[c.Dir] += c.Len
	if m := c.Missing(); m > 0 {
		fw.gaps = append(fw.gaps, Gap{Dir: c.Dir, Offset: c.Offset + int64(len(c.Data)), Len: m, Cut: c.Cut, Time: c.Time})
	}
	switch fw.format {
	case "raw":
		_, err := fw.bw.Write(c.Data)
		return err
	case "hex":
		fw.header(c)
		fw.hexDump(c)
	default:
		fw.header(c)
		fw.text(c)
	}
	fw.gapLine(c)
	return nil
}

// Close flushes what is buffered.
func (fw *FollowWriter) Close() error { return fw.bw.Flush() }

func (fw *FollowWriter) header(c *Chunk) {
	key := fmt.Sprintf("%s %d %d %s", c.Host, c.PID, c.FD, c.Stream)
	if key != fw.stream {
		fw.stream = key
		fmt.Fprintf(fw.bw, "=== %s %s[%d] fd %d %s ===\n", safe(c.Host), safe(c.Process), c.PID, c.FD, safe(c.Stream))
	}
	fmt.Fprintf(fw.bw, "%s %s %s, %s (%s)\n", arrow(c), FormatTime(c.Time), dirText(c), lenText(c), c.Syscall)
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

func lenText(c *Chunk) string {
	if c.Missing() > 0 {
		return fmt.Sprintf("%d of %d bytes recorded", len(c.Data), c.Len)
	}
	if c.Len == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", c.Len)
}

func (fw *FollowWriter) gapLine(c *Chunk) {
	m := c.Missing()
	if m <= 0 || fw.format == "raw" {
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
func (fw *FollowWriter) text(c *Chunk) {
	b := c.Data
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
	if len(c.Data) > 0 && c.Data[len(c.Data)-1] != '\n' {
		fw.bw.WriteByte('\n')
	}
}

// hexDump writes 16 bytes a line: offset in the direction's stream, hex, text.
func (fw *FollowWriter) hexDump(c *Chunk) {
	for i := 0; i < len(c.Data); i += 16 {
		line := c.Data[i:min(i+16, len(c.Data))]
		fmt.Fprintf(fw.bw, "%08x  ", c.Offset+int64(i))
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
