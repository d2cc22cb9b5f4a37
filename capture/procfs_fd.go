package capture

import "bytes"

// FD types, the values of event.FDType.
const (
	fdUnknown     = 0
	fdFile        = 1
	fdDirectory   = 2
	fdIPv4        = 3
	fdIPv6        = 4
	fdUnix        = 5
	fdPipe        = 6
	fdEvent       = 7
	fdSignalfd    = 8
	fdEventpoll   = 9
	fdInotify     = 10
	fdTimerfd     = 11
	fdNetlink     = 12
	fdMemfd       = 13
	fdBPF         = 14
	fdIOUring     = 15
	fdPidfd       = 16
	fdUserfaultfd = 17
	fdSocket      = 18
	fdDevice      = 19
)

// fdLink is what the target of a /proc/PID/fd/N link says about the fd. Name aliases
// the link unless the fd is a memfd (then it is the link without its decorations).
type fdLink struct {
	Type uint64 // an event.FDType value
	Ino  uint64 // for "kind:[ino]" targets (sockets, pipes, namespaces)
	Name []byte
}

// anonTypes maps the names of anonymous inodes, as the kernel writes them after
// "anon_inode:" (with or without brackets), to fd types.
var anonTypes = map[string]uint64{
	"eventfd": fdEvent, "signalfd": fdSignalfd, "timerfd": fdTimerfd, "inotify": fdInotify,
	"eventpoll": fdEventpoll, "bpf-map": fdBPF, "bpf-prog": fdBPF, "bpf_link": fdBPF,
	"bpf_iter": fdBPF, "bpf-token": fdBPF, "io_uring": fdIOUring, "pidfd": fdPidfd,
	"userfaultfd": fdUserfaultfd,
}

// classifyFDLink reads the target of an fd link (readlink /proc/PID/fd/N):
//
//	/etc/passwd                 a file, directory or device (stat tells which)
//	/tmp/x (deleted)            an unlinked file: the suffix is kept, it is evidence
//	/memfd:payload (deleted)    a memfd, named "memfd:payload" as memfd_create names it
//	socket:[12327]              a socket: resolved against /proc/PID/net/* by inode
//	pipe:[41722]                a pipe
//	anon_inode:[eventfd]        an anonymous inode: eventfd, signalfd, timerfd, inotify,
//	anon_inode:inotify          eventpoll, bpf-map, bpf-prog, io_uring, pidfd, userfaultfd
//	pidfd:[1093]                a pidfd on pidfs (Linux 6.9 and later, some configurations)
//	net:[4026531833]            a namespace fd: type unknown, the inode kept
func classifyFDLink(link []byte) fdLink {
	if len(link) > 0 && link[0] == '/' {
		if name, ok := bytes.CutPrefix(link, []byte("/memfd:")); ok {
			name = bytes.TrimSuffix(name, []byte(" (deleted)"))
			return fdLink{Type: fdMemfd, Name: append([]byte("memfd:"), name...)}
		}
		return fdLink{Type: fdFile, Name: link}
	}
	if rest, ok := bytes.CutPrefix(link, []byte("anon_inode:")); ok {
		rest = bytes.TrimSuffix(bytes.TrimPrefix(rest, []byte("[")), []byte("]"))
		return fdLink{Type: anonTypes[string(rest)], Name: link}
	}
	kind, ino, ok := splitKindIno(link)
	if !ok {
		return fdLink{Type: fdUnknown, Name: link}
	}
	l := fdLink{Type: fdUnknown, Ino: ino, Name: link}
	switch string(kind) {
	case "socket":
		l.Type = fdSocket
	case "pipe":
		l.Type = fdPipe
	case "pidfd":
		l.Type = fdPidfd
	}
	return l
}

// splitKindIno splits "kind:[123]", the form of pseudo-file link targets and of the
// namespace links under /proc/PID/ns.
func splitKindIno(b []byte) (kind []byte, ino uint64, ok bool) {
	colon := bytes.IndexByte(b, ':')
	if colon <= 0 || len(b) < colon+4 || b[colon+1] != '[' || b[len(b)-1] != ']' {
		return nil, 0, false
	}
	ino, ok = parseDec(b[colon+2:len(b)-1], 64)
	return b[:colon], ino, ok
}

// fdInfo holds the fields of /proc/PID/fdinfo/N that a snapshot keeps.
type fdInfo struct {
	Flags  uint64 // open flags, O_CLOEXEC included when the fd has FD_CLOEXEC
	MntID  uint64
	Ino    uint64 // 0 before Linux 5.14, which added the line
	HasIno bool
}

// maxFDInfoLines bounds the lines parseFDInfo reads: an inotify or epoll fd lists one
// line per watch, and only the first lines matter.
const maxFDInfoLines = 64

// parseFDInfo parses /proc/PID/fdinfo/N:
//
//	pos:	0
//	flags:	02000002        (octal open flags)
//	mnt_id:	17
//	ino:	1038
//	eventfd-count:                0     (type-specific lines follow)
//
// Only the leading "key:" lines are read; type-specific lines such as inotify's
// "inotify wd:1 ino:..." never match because keys are compared whole.
func parseFDInfo(b []byte) (fdInfo, error) {
	var fi fdInfo
	seenFlags := false
	for n := 1; len(b) > 0 && n <= maxFDInfoLines; n++ {
		var line []byte
		line, b = nextLine(b)
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		f, _ := nextField(val)
		var good bool
		switch string(key) {
		case "flags":
			fi.Flags, good = parseOct(f)
			seenFlags = true
		case "mnt_id":
			fi.MntID, good = parseDec(f, 64)
		case "ino":
			fi.Ino, good = parseDec(f, 64)
			fi.HasIno = true
		default:
			continue
		}
		if !good {
			return fi, badField(n, string(key), "bad value %q", clip(f))
		}
	}
	if !seenFlags {
		return fi, badField(0, "flags", "missing")
	}
	return fi, nil
}
