package report

import (
	"strings"
	"time"

	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// Row is one exported event: the event, its process and its fd. Its columns are
// documented in docs/EXPORT.md; the names follow Falco's fields with "_" for ".", so
// that SQL needs no quoting. Optional columns are NULL (Parquet), absent (JSON lines)
// or empty (CSV) when they do not apply.
type Row struct {
	HostName string `parquet:"host_name,dict" json:"host_name"`
	HostID   string `parquet:"host_id,dict" json:"host_id"`
	Num      uint64 `parquet:"evt_num" json:"evt_num"`
	// Time is evt_time as a Parquet timestamp; JSON and CSV carry it as RFC 3339 text
	// (Datetime). RawTime is the same instant in ns since the epoch, in every format,
	// for engines whose timestamps stop at microseconds.
	Time     int64   `parquet:"evt_time,timestamp(nanosecond)" json:"-"`
	Datetime string  `parquet:"-" json:"evt_time"`
	RawTime  int64   `parquet:"evt_rawtime" json:"evt_rawtime"`
	Type     string  `parquet:"evt_type,dict" json:"evt_type"`
	Category string  `parquet:"evt_category,dict" json:"evt_category"`
	Dir      string  `parquet:"evt_dir,dict" json:"evt_dir"`
	CPU      int32   `parquet:"evt_cpu" json:"evt_cpu"`
	Res      int64   `parquet:"evt_res" json:"evt_res"`
	Errno    *string `parquet:"evt_errno,optional,dict" json:"evt_errno,omitempty"`
	Latency  int64   `parquet:"evt_latency_ns" json:"evt_latency_ns"`
	Args     string  `parquet:"evt_args" json:"evt_args"`

	TID       int32   `parquet:"thread_tid" json:"thread_tid"`
	PID       int32   `parquet:"proc_pid" json:"proc_pid"`
	PPID      int32   `parquet:"proc_ppid" json:"proc_ppid"`
	Name      string  `parquet:"proc_name,dict" json:"proc_name"`
	Exe       string  `parquet:"proc_exepath,dict" json:"proc_exepath"`
	Cmdline   string  `parquet:"proc_cmdline,dict" json:"proc_cmdline"`
	PName     *string `parquet:"proc_pname,optional,dict" json:"proc_pname,omitempty"`
	UID       int64   `parquet:"user_uid" json:"user_uid"`
	User      *string `parquet:"user_name,optional,dict" json:"user_name,omitempty"`
	LoginUID  *int64  `parquet:"user_loginuid,optional" json:"user_loginuid,omitempty"`
	Container *string `parquet:"container_id,optional,dict" json:"container_id,omitempty"`

	FDNum   *int32  `parquet:"fd_num,optional" json:"fd_num,omitempty"`
	FDType  *string `parquet:"fd_type,optional,dict" json:"fd_type,omitempty"`
	FDName  *string `parquet:"fd_name,optional" json:"fd_name,omitempty"`
	FDProto *string `parquet:"fd_l4proto,optional,dict" json:"fd_l4proto,omitempty"`
	FDCIP   *string `parquet:"fd_cip,optional,dict" json:"fd_cip,omitempty"`
	FDCPort *int32  `parquet:"fd_cport,optional" json:"fd_cport,omitempty"`
	FDSIP   *string `parquet:"fd_sip,optional,dict" json:"fd_sip,omitempty"`
	FDSPort *int32  `parquet:"fd_sport,optional" json:"fd_sport,omitempty"`
}

// noLoginUID is the audit login uid of a process no login session started.
const noLoginUID = 0xffffffff

// fillRow sets row from r. The strings it sets are fresh copies or interned by the
// cache, so the row stays valid after the record is reused.
func fillRow(row *Row, r *Record, c *rowCache) {
	ev, v := r.Event, r.View
	*row = Row{HostName: r.Host.Name, HostID: r.Host.ID, Num: ev.Num, Time: ev.Time, RawTime: ev.Time,
		Datetime: time.Unix(0, ev.Time).UTC().Format(time.RFC3339Nano),
		Type:     ev.Name(), Category: ev.Info().Category.String(), Dir: "<", CPU: int32(ev.CPU),
		Res: ev.Ret, Latency: ev.Latency, TID: ev.TID, PID: ev.PID}
	if ev.Flags&event.FlagEnter != 0 {
		row.Dir = ">"
	}
	if ev.Failed() {
		row.Errno = ptr(event.ErrnoName(-ev.Ret))
	}
	c.buf = ev.AppendArgs(c.buf[:0])
	row.Args = string(c.buf)
	if v.Thread != nil {
		fillProc(row, v, c)
	}
	if v.FD != nil {
		fillFD(row, v)
	}
}

func fillProc(row *Row, v *state.View, c *rowCache) {
	p := v.Process
	row.Name, row.PPID = v.Thread.Comm, p.PPID
	row.Exe, row.Cmdline = c.image(p)
	if pp := v.Parent(); pp != nil {
		row.PName = ptr(pp.Name())
	}
	row.UID = int64(v.Thread.Creds.EUID)
	if u := v.User(); u != nil {
		row.User = ptr(u.Name)
	}
	if l := v.Thread.Creds.LoginUID; l != noLoginUID {
		row.LoginUID = ptr(int64(l))
	}
	if ct := v.Container(); ct != nil {
		row.Container = ptr(ct.ID)
	}
}

func fillFD(row *Row, v *state.View) {
	f := v.FD
	row.FDNum = ptr(v.FDNum)
	row.FDType = ptr(f.Type.String())
	row.FDName = ptr(string(f.AppendName(nil)))
	if f.Type != state.FDIPv4 && f.Type != state.FDIPv6 {
		return
	}
	if p := protoName(f.Proto); p != "" {
		row.FDProto = ptr(p)
	}
	if c := f.Client(); c.IsValid() {
		row.FDCIP, row.FDCPort = ptr(c.Addr().String()), ptr(int32(c.Port()))
	}
	if s := f.Server(); s.IsValid() {
		row.FDSIP, row.FDSPort = ptr(s.Addr().String()), ptr(int32(s.Port()))
	}
}

func ptr[T any](v T) *T { return &v }

// rowCache keeps per-process strings that many rows share.
type rowCache struct {
	buf  []byte
	proc *state.Process
	argv []string
	exe  string
	cmd  string
}

// image returns the process's executable and command line, joined once per image.
func (c *rowCache) image(p *state.Process) (exe, cmdline string) {
	if p != c.proc || len(p.Argv) != len(c.argv) || (len(p.Argv) > 0 && &p.Argv[0] != &c.argv[0]) {
		c.proc, c.argv = p, p.Argv
		c.exe = p.ExePath
		if c.exe == "" {
			c.exe = p.Exe
		}
		c.cmd = strings.Join(p.Argv, " ")
	}
	return c.exe, c.cmd
}
