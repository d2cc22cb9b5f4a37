package report

// Action is one line of the timeline: a security-relevant thing a process did, or a
// run of writes or network transfers on one fd folded into one line.
type Action struct {
	Time int64  `json:"-"` // ns of the action (of the first event of a run)
	End  int64  `json:"-"` // ns of the last event of a run, 0 for single events
	Kind string `json:"-"` // Timesketch's timestamp_desc: "Process Exec", "File Write"...
	// Message says what happened in one sentence, as Timesketch's message column.
	Message string `json:"-"`

	Host    string `json:"host"`
	PID     int32  `json:"pid"`
	TID     int32  `json:"tid"`
	PPID    int32  `json:"ppid"`
	Process string `json:"process"` // comm
	Exe     string `json:"exe,omitempty"`
	Cmdline string `json:"cmdline,omitempty"`
	User    string `json:"user,omitempty"` // name, else the effective uid
	UID     uint32 `json:"uid"`
	Parent  string `json:"parent,omitempty"` // parent's comm
	Syscall string `json:"syscall"`
	Path    string `json:"path,omitempty"`   // file, or the local end of a socket
	Target  string `json:"target,omitempty"` // rename's new path, a remote address, a module name
	Count   uint64 `json:"count,omitempty"`  // events folded into the line
	Bytes   int64  `json:"bytes,omitempty"`  // bytes written (or sent) by them
	BytesIn int64  `json:"bytes_in,omitempty"`
	Errno   string `json:"errno,omitempty"` // the failure, when the action failed
	Num     uint64 `json:"evt_num"`         // the (first) event's number in its host's trace
}

// Timeline kinds (timestamp_desc values).
const (
	KindProcStart  = "Process Start"
	KindProcExec   = "Process Exec"
	KindProcExit   = "Process Exit"
	KindFileCreate = "File Create"
	KindFileWrite  = "File Write"
	KindFileRename = "File Rename"
	KindFileLink   = "File Link"
	KindFileDelete = "File Delete"
	KindFileMode   = "File Permission Change"
	KindFileOwner  = "File Owner Change"
	KindFileTrunc  = "File Truncate"
	KindConnect    = "Network Connect"
	KindAccept     = "Network Accept"
	KindListen     = "Network Listen"
	KindTransfer   = "Network Transfer"
	KindLogin      = "Login"
	KindPrivilege  = "Privilege Change"
	KindPtrace     = "Process Trace"
	KindModule     = "Kernel Module"
	KindBPF        = "BPF Program Load"
	KindMount      = "Mount"
	KindDrop       = "Capture Drop" // the recorder lost events: the timeline has a hole here
)
