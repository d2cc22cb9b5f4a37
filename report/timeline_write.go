package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// TimelineFormats are the output formats of WriteTimeline.
var TimelineFormats = []string{"text", "csv", "jsonl"}

// timesketchTime is the datetime layout of Timesketch's CSV and JSONL import.
const timesketchTime = "2006-01-02T15:04:05.000000-07:00"

// csvColumns are the CSV columns: Timesketch's required message, datetime and
// timestamp_desc first, then timestamp (µs since the epoch) and the action's fields.
var csvColumns = []string{"message", "datetime", "timestamp_desc", "timestamp", "host", "pid", "tid",
	"ppid", "process", "exe", "cmdline", "user", "uid", "parent", "syscall", "path", "target",
	"count", "bytes", "bytes_in", "errno", "end_datetime", "evt_num"}

// TimelineWriter writes actions in one of TimelineFormats. Call Close at the end to
// flush.
type TimelineWriter struct {
	bw   *bufio.Writer
	cw   *csv.Writer
	enc  *json.Encoder
	text bool
	line []byte
	msg  []byte
}

// kindWidth pads the kind column of text lines to the longest kind.
const kindWidth = len(KindFileMode)

// writeText writes "TIME  HOST  KIND  MESSAGE".
func (tw *TimelineWriter) writeText(a *Action) error {
	b := time.Unix(0, a.Time).UTC().AppendFormat(tw.line[:0], "2006-01-02T15:04:05.000000Z")
	b = cat(b, "  ", a.Host, "  ", a.Kind)
	for i := len(a.Kind); i < kindWidth; i++ {
		b = append(b, ' ')
	}
	b = append(b, "  "...)
	tw.msg = a.appendMessage(tw.msg[:0])
	b = append(appendSafe(b, string(tw.msg)), '\n')
	tw.line = b
	_, err := tw.bw.Write(b)
	return err
}

// NewTimelineWriter returns a writer of the named format.
func NewTimelineWriter(w io.Writer, format string) (*TimelineWriter, error) {
	tw := &TimelineWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	switch format {
	case "text":
		tw.text = true
	case "csv":
		tw.cw = csv.NewWriter(tw.bw)
		if err := tw.cw.Write(csvColumns); err != nil {
			return nil, err
		}
	case "jsonl":
		tw.enc = json.NewEncoder(tw.bw)
		tw.enc.SetEscapeHTML(false)
	default:
		return nil, fmt.Errorf("timeline format %q: want text, csv or jsonl", format)
	}
	return tw, nil
}

// Write writes one action.
func (tw *TimelineWriter) Write(a *Action) error {
	switch {
	case tw.text:
		return tw.writeText(a)
	case tw.cw != nil:
		return tw.cw.Write(csvRow(a))
	}
	return tw.enc.Encode(jsonLine{Message: a.message(), Datetime: tsTime(a.Time), Desc: a.Kind,
		Timestamp: a.Time / 1000, End: tsTime(a.End), Action: a})
}

// Close flushes what is buffered.
func (tw *TimelineWriter) Close() error {
	if tw.cw != nil {
		tw.cw.Flush()
		if err := tw.cw.Error(); err != nil {
			return err
		}
	}
	return tw.bw.Flush()
}

type jsonLine struct {
	Message   string `json:"message"`
	Datetime  string `json:"datetime"`
	Desc      string `json:"timestamp_desc"`
	Timestamp int64  `json:"timestamp"` // µs since the epoch
	End       string `json:"end_datetime,omitempty"`
	*Action
}

func tsTime(ns int64) string {
	if ns == 0 {
		return ""
	}
	return time.Unix(0, ns).UTC().Format(timesketchTime)
}

func csvRow(a *Action) []string {
	return []string{a.message(), tsTime(a.Time), a.Kind, i64(a.Time / 1000), a.Host,
		i64(int64(a.PID)), i64(int64(a.TID)), i64(int64(a.PPID)), a.Process, a.Exe, a.Cmdline,
		a.User, u64(uint64(a.UID)), a.Parent, a.Syscall, a.Path, a.Target, u64(a.Count),
		i64(a.Bytes), i64(a.BytesIn), a.Errno, tsTime(a.End), strconv.FormatUint(a.Num, 10)}
}
