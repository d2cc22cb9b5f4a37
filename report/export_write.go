package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// ExportFormats are the formats of NewExporter.
var ExportFormats = []string{"jsonl", "csv", "parquet"}

// Exporter writes every event it is given as a Row. Close writes what is buffered
// (and, for Parquet, the file footer); the output is incomplete without it.
type Exporter struct {
	w     rowWriter
	cache rowCache
	row   Row
	rows  uint64
}

type rowWriter interface {
	write(r *Row) error
	close() error
}

// NewExporter returns an exporter writing the named format to w.
func NewExporter(w io.Writer, format string) (*Exporter, error) {
	x := &Exporter{}
	switch format {
	case "jsonl":
		x.w = newJSONRows(w)
	case "csv":
		x.w = newCSVRows(w)
	case "parquet":
		x.w = newParquetRows(w)
	default:
		return nil, fmt.Errorf("export format %q: want jsonl, csv or parquet", format)
	}
	return x, nil
}

// Add writes one event.
func (x *Exporter) Add(r *Record) error {
	fillRow(&x.row, r, &x.cache)
	x.rows++
	return x.w.write(&x.row)
}

// Rows returns the number of rows written.
func (x *Exporter) Rows() uint64 { return x.rows }

// Close flushes the output.
func (x *Exporter) Close() error { return x.w.close() }

type jsonRows struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func newJSONRows(w io.Writer) *jsonRows {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &jsonRows{bw: bw, enc: enc}
}

func (j *jsonRows) write(r *Row) error { return j.enc.Encode(r) }
func (j *jsonRows) close() error       { return j.bw.Flush() }

// csvHeader lists the CSV columns, in Row order.
var csvHeader = []string{"host_name", "host_id", "evt_num", "evt_time", "evt_rawtime", "evt_type",
	"evt_category", "evt_dir", "evt_cpu", "evt_res", "evt_errno", "evt_latency_ns", "evt_args",
	"thread_tid", "proc_pid", "proc_ppid", "proc_name", "proc_exepath", "proc_cmdline", "proc_pname",
	"user_uid", "user_name", "user_loginuid", "container_id", "fd_num", "fd_type", "fd_name",
	"fd_l4proto", "fd_cip", "fd_cport", "fd_sip", "fd_sport"}

type csvRows struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	header bool
	rec    []string
}

func newCSVRows(w io.Writer) *csvRows {
	bw := bufio.NewWriterSize(w, 256<<10)
	return &csvRows{bw: bw, cw: csv.NewWriter(bw)}
}

func (c *csvRows) write(r *Row) error {
	if !c.header {
		c.header = true
		if err := c.cw.Write(csvHeader); err != nil {
			return err
		}
	}
	c.rec = append(c.rec[:0], r.HostName, r.HostID, u64(r.Num), r.Datetime, i64(r.RawTime), r.Type,
		r.Category, r.Dir, i64(int64(r.CPU)), i64(r.Res), opt(r.Errno), i64(r.Latency), r.Args,
		i64(int64(r.TID)), i64(int64(r.PID)), i64(int64(r.PPID)), r.Name, r.Exe, r.Cmdline, opt(r.PName),
		i64(r.UID), opt(r.User), optInt(r.LoginUID), opt(r.Container), optInt(r.FDNum), opt(r.FDType),
		opt(r.FDName), opt(r.FDProto), opt(r.FDCIP), optInt(r.FDCPort), opt(r.FDSIP), optInt(r.FDSPort))
	return c.cw.Write(c.rec)
}

func (c *csvRows) close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

func opt(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optInt[T int32 | int64](v *T) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v), 10)
}

// parquetBatch is how many rows go to the Parquet writer at once.
const parquetBatch = 4096

type parquetRows struct {
	pw    *parquet.GenericWriter[Row]
	batch []Row
}

func newParquetRows(w io.Writer) *parquetRows {
	pw := parquet.NewGenericWriter[Row](w,
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("syscam inspect export", "", ""),
		parquet.MaxRowsPerRowGroup(1<<20))
	return &parquetRows{pw: pw, batch: make([]Row, 0, parquetBatch)}
}

func (p *parquetRows) write(r *Row) error {
	p.batch = append(p.batch, *r)
	if len(p.batch) == cap(p.batch) {
		return p.flush()
	}
	return nil
}

func (p *parquetRows) flush() error {
	if len(p.batch) == 0 {
		return nil
	}
	if _, err := p.pw.Write(p.batch); err != nil {
		return fmt.Errorf("write parquet rows: %w", err)
	}
	clear(p.batch)
	p.batch = p.batch[:0]
	return nil
}

func (p *parquetRows) close() error {
	if err := p.flush(); err != nil {
		return err
	}
	if err := p.pw.Close(); err != nil {
		return fmt.Errorf("close parquet file: %w", err)
	}
	return nil
}
