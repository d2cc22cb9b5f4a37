package report

import (
	"fmt"
	"strings"
)

// message writes the action as one sentence: who did what to what, and how it ended.
func (a *Action) message() string {
	if a.Kind == KindDrop {
		return fmt.Sprintf("the recorder lost %d events (%s): actions may be missing here", a.Count, a.Target)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s[%d] ", orQuestion(a.Process), a.PID)
	b.WriteString(a.verb())
	if a.Errno != "" {
		b.WriteString(" failed: " + a.Errno)
	}
	return b.String()
}

func (a *Action) verb() string {
	switch a.Kind {
	case KindProcStart:
		return "started process " + a.Target
	case KindProcExec:
		return fmt.Sprintf("executed %s: %s (user %s, parent %s[%d])", a.Path, a.Cmdline, a.User, a.Parent, a.PPID)
	case KindProcExit:
		return "exited: " + a.Target
	case KindFileCreate, KindFileWrite, KindLogin:
		return a.fileVerb()
	case KindTransfer:
		return fmt.Sprintf("exchanged data with %s (local %s): sent %s, received %s in %d calls",
			orDash(a.Target), orDash(a.Path), fmtBytes(a.Bytes), fmtBytes(a.BytesIn), a.Count)
	case KindFileRename:
		return "renamed " + a.Path + " to " + a.Target
	case KindFileLink:
		return "linked " + a.Path + " to " + a.Target
	case KindFileDelete:
		return "deleted " + a.Path
	case KindFileMode:
		return "changed the mode of " + a.Path + " to " + strings.TrimPrefix(a.Target, "mode ")
	case KindFileOwner:
		return "changed the owner of " + a.Path + " to " + a.Target
	case KindFileTrunc:
		return "truncated " + a.Path + " to " + a.Target
	case KindConnect:
		return fmt.Sprintf("connected to %s (local %s)", orDash(a.Target), orDash(a.Path))
	case KindAccept:
		return fmt.Sprintf("accepted a connection from %s on %s", orDash(a.Target), orDash(a.Path))
	case KindListen:
		return "listens on " + orDash(a.Path)
	}
	return a.systemVerb()
}

func (a *Action) fileVerb() string {
	if strings.HasPrefix(a.Path, "memfd:") {
		return "created anonymous file " + a.Path + " (" + a.Target + ")"
	}
	var b strings.Builder
	switch {
	case a.Kind == KindLogin:
		b.WriteString("set its login uid through " + a.Path)
	case a.Kind == KindFileCreate && a.Syscall != "" && strings.HasPrefix(a.Syscall, "mk"):
		return "created " + a.Path + " (" + a.Target + ")"
	case a.Target != "":
		b.WriteString("opened " + a.Path + " for writing (" + a.Target + ")")
	default:
		b.WriteString("wrote " + a.Path)
	}
	if a.Count == 0 {
		b.WriteString(", no write")
		return b.String()
	}
	fmt.Fprintf(&b, ": %d %s, %s", a.Count, plural(a.Count, "write", "writes"), fmtBytes(a.Bytes))
	return b.String()
}

func (a *Action) systemVerb() string {
	switch a.Kind {
	case KindPrivilege:
		return a.Syscall + " " + a.Target
	case KindPtrace:
		return "traced another process: " + a.Target
	case KindModule:
		if a.Syscall == "delete_module" {
			return "unloaded kernel module " + a.Target
		}
		return strings.TrimSpace("loaded kernel module " + a.Path + " " + a.Target)
	case KindBPF:
		return "loaded BPF program " + a.Target
	case KindMount:
		return a.Syscall + " " + a.Target
	}
	return a.Syscall + " " + a.Target
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n uint64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// orQuestion shows an unknown process name (a thread the trace never named) as "?".
func orQuestion(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
