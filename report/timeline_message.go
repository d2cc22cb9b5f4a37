package report

import (
	"strconv"
	"strings"
)

// message returns the action as one sentence: who did what to what, and how it ended.
func (a *Action) message() string { return string(a.appendMessage(nil)) }

// appendMessage appends the sentence to dst; the text writer reuses one buffer, so a
// line costs no allocation.
func (a *Action) appendMessage(b []byte) []byte {
	if a.Kind == KindDrop {
		b = append(b, "the recorder lost "...)
		b = strconv.AppendUint(b, a.Count, 10)
		b = append(b, " events ("...)
		b = append(b, a.Target...)
		return append(b, "): actions may be missing here"...)
	}
	b = append(b, orQuestion(a.Process)...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(a.PID), 10)
	b = append(b, "] "...)
	b = a.appendVerb(b)
	if a.Errno != "" {
		b = append(b, " failed: "...)
		b = append(b, a.Errno...)
	}
	return b
}

func (a *Action) appendVerb(b []byte) []byte {
	switch a.Kind {
	case KindProcStart:
		return cat(b, "started process ", a.Target)
	case KindProcExec:
		b = cat(b, "executed ", a.Path)
		if a.Target != "" {
			b = cat(b, " through ", a.Target)
		}
		b = cat(b, ": ", a.Cmdline, " (user ", a.User, ", parent ", a.Parent, "[")
		b = strconv.AppendInt(b, int64(a.PPID), 10)
		return append(b, "])"...)
	case KindProcExit:
		return cat(b, "exited: ", a.Target)
	case KindFileCreate, KindFileWrite, KindLogin:
		return a.appendFileVerb(b)
	case KindTransfer:
		b = cat(b, "exchanged data with ", orDash(a.Target), " (local ", orDash(a.Path), "): sent ",
			fmtBytes(a.Bytes), ", received ", fmtBytes(a.BytesIn), " in ")
		b = strconv.AppendUint(b, a.Count, 10)
		return cat(b, " ", plural(a.Count, "call", "calls"))
	case KindFileRename:
		return cat(b, "renamed ", a.Path, " to ", a.Target)
	case KindFileLink:
		return cat(b, "linked ", a.Path, " to ", a.Target)
	case KindFileDelete:
		return cat(b, "deleted ", a.Path)
	case KindFileMode:
		return cat(b, "changed the mode of ", a.Path, " to ", strings.TrimPrefix(a.Target, "mode "))
	case KindFileOwner:
		return cat(b, "changed the owner of ", a.Path, " to ", a.Target)
	case KindFileTrunc:
		return cat(b, "truncated ", a.Path, " to ", a.Target)
	case KindConnect:
		return cat(b, "connected to ", orDash(a.Target), " (local ", orDash(a.Path), ")")
	case KindAccept:
		return cat(b, "accepted a connection from ", orDash(a.Target), " on ", orDash(a.Path))
	case KindListen:
		return cat(b, "listens on ", orDash(a.Path))
	}
	return a.appendSystemVerb(b)
}

func (a *Action) appendFileVerb(b []byte) []byte {
	if a.Syscall == "memfd_create" {
		return cat(b, "created anonymous file ", a.Path, " (", a.Target, ")")
	}
	switch {
	case a.Kind == KindLogin:
		b = cat(b, "set its login uid through ", a.Path)
	case a.Kind == KindFileCreate && strings.HasPrefix(a.Syscall, "mk"):
		return cat(b, "created ", a.Path, " (", a.Target, ")")
	case a.Target != "":
		b = cat(b, "opened ", a.Path, " for writing (", a.Target, ")")
	default:
		b = cat(b, "wrote ", a.Path)
	}
	if a.Count == 0 {
		return append(b, ", no write"...)
	}
	b = append(b, ": "...)
	b = strconv.AppendUint(b, a.Count, 10)
	return cat(b, " ", plural(a.Count, "write", "writes"), ", ", fmtBytes(a.Bytes))
}

func (a *Action) appendSystemVerb(b []byte) []byte {
	switch a.Kind {
	case KindPtrace:
		return cat(b, "traced another process: ", a.Target)
	case KindModule:
		if a.Syscall == "delete_module" {
			return cat(b, "unloaded kernel module ", a.Target)
		}
		return append(b, strings.TrimSpace("loaded kernel module "+a.Path+" "+a.Target)...)
	case KindBPF:
		return cat(b, "loaded BPF program ", a.Target)
	}
	return cat(b, a.Syscall, " ", a.Target) // privilege changes, mounts
}

// cat appends strings.
func cat(b []byte, s ...string) []byte {
	for _, x := range s {
		b = append(b, x...)
	}
	return b
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
