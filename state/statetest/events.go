// Package statetest helps tests build event streams: it parses events written as
// text, one per line, as state's script tests, inspect's tests and benchmarks do:
//
//	TIME TID[/PID] TYPE [ret=N] [NAME=VALUE ...]
//	1.5 100/100 openat ret=3 dirfd=AT_FDCWD name=/etc/passwd flags=O_RDONLY|O_CLOEXEC
//	2 101/100 procfork child_tid=102 child_pid=102 flags=SHARE_FILES comm=bash
//	3 102 execve filename=/bin/ls argv="ls -l /tmp" exepath=/usr/bin/ls
//
// TIME is in seconds (decimals allowed). A value is a bare word or a Go-quoted string;
// flags and enums take names joined by '|' or numbers; fds take AT_FDCWD; string
// lists split their value on spaces; socket addresses are "10.0.0.1:80",
// "[::1]:443" or "unix:/run/x.sock" ("unix:@name" for an abstract name); recvmsg's
// "fds" is a comma-separated list of fd numbers. A trailing "#" starts a comment.
package statetest

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

// Parse parses every non-empty, non-comment line of text; errors name the line.
func Parse(text string) ([]*event.Event, error) {
	var out []*event.Event
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		ev := new(event.Event)
		if err := ParseLine(ev, line); err != nil {
			return nil, fmt.Errorf("parse event at line %d: %w", n, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// ParseLine fills ev (reset first) from one line.
func ParseLine(ev *event.Event, line string) error {
	ev.Reset()
	toks, err := split(line)
	if err != nil {
		return err
	}
	if len(toks) < 3 {
		return fmt.Errorf("want TIME TID[/PID] TYPE, got %q", line)
	}
	if ev.Time, err = parseTime(toks[0]); err != nil {
		return err
	}
	if err := parseIDs(ev, toks[1]); err != nil {
		return err
	}
	typ, ok := event.ByName(toks[2])
	if !ok {
		return fmt.Errorf("unknown event type %q", toks[2])
	}
	ev.Type = typ
	for _, tok := range toks[3:] {
		if err := setParam(ev, tok); err != nil {
			return err
		}
	}
	return nil
}

func parseTime(s string) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("parse time %q: %w", s, err)
	}
	return int64(math.Round(f * 1e9)), nil
}

func parseIDs(ev *event.Event, s string) error {
	tid, pid, found := strings.Cut(s, "/")
	t, err := strconv.ParseInt(tid, 10, 32)
	if err != nil {
		return fmt.Errorf("parse tid %q: %w", tid, err)
	}
	ev.TID, ev.PID = int32(t), int32(t)
	if found {
		p, err := strconv.ParseInt(pid, 10, 32)
		if err != nil {
			return fmt.Errorf("parse pid %q: %w", pid, err)
		}
		ev.PID = int32(p)
	}
	return nil
}

// split cuts a line into space-separated tokens, keeping quoted values whole.
func split(line string) ([]string, error) {
	var toks []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '#' {
			break
		}
		end := 0
		for end < len(line) && line[end] != ' ' {
			if line[end] == '"' {
				q, err := strconv.QuotedPrefix(line[end:])
				if err != nil {
					return nil, fmt.Errorf("parse quoted value in %q: %w", line, err)
				}
				end += len(q)
				continue
			}
			end++
		}
		toks = append(toks, line[:end])
		line = line[end:]
	}
	return toks, nil
}

func setParam(ev *event.Event, tok string) error {
	name, val, ok := strings.Cut(tok, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", tok)
	}
	if v, err := strconv.Unquote(val); err == nil {
		val = v
	}
	if name == "ret" {
		r, err := strconv.ParseInt(val, 10, 64)
		ev.Ret = r
		return err
	}
	info := ev.Info()
	i := info.ParamIndex(name)
	if i < 0 {
		return fmt.Errorf("event %s has no parameter %q", info.Name, name)
	}
	for j := int(ev.NParams); j < i; j++ {
		ev.SetInt(j, 0) // earlier parameters default to zero and empty
	}
	return setValue(ev, i, info.Params[i], val)
}

func setValue(ev *event.Event, i int, pi event.ParamInfo, val string) error {
	switch pi.Kind {
	case event.KindPath, event.KindString:
		ev.SetString(i, val)
	case event.KindBytes:
		if pi.Name == "fds" {
			return setFDs(ev, i, val)
		}
		ev.SetString(i, val)
	case event.KindDigest:
		b, err := hex.DecodeString(val)
		if err != nil {
			return fmt.Errorf("%s: not hex: %w", pi.Name, err)
		}
		ev.SetBytes(i, b, uint32(len(b)))
	case event.KindStrings:
		ev.Grow(i, 0)
		for _, s := range strings.Fields(val) {
			ev.AppendString(i, s)
		}
	case event.KindSockAddr:
		b, err := sockAddr(val)
		if err != nil {
			return err
		}
		ev.SetBytes(i, b, uint32(len(b)))
	default:
		v, err := number(pi, val)
		if err != nil {
			return fmt.Errorf("parse %s=%q: %w", pi.Name, val, err)
		}
		ev.SetInt(i, v)
	}
	return nil
}

func number(pi event.ParamInfo, val string) (uint64, error) {
	if pi.Kind == event.KindTime {
		t, err := parseTime(val)
		return uint64(t), err
	}
	if val == "AT_FDCWD" {
		return uint64(0xffffffffffffff9c), nil
	}
	if n, err := strconv.ParseInt(val, 0, 64); err == nil {
		return uint64(n), nil
	}
	if n, err := strconv.ParseUint(val, 0, 64); err == nil {
		return n, nil
	}
	set := pi.Set
	if pi.Kind == event.KindSignal {
		set = event.Signals
	}
	if set == nil {
		return 0, fmt.Errorf("not a number")
	}
	var v uint64
	for _, part := range strings.Split(val, "|") {
		x, ok := set.Lookup(part)
		if !ok {
			return 0, fmt.Errorf("%s has no value %q", set.Name, part)
		}
		v |= x
	}
	return v, nil
}

func sockAddr(val string) ([]byte, error) {
	if path, ok := strings.CutPrefix(val, "unix:"); ok {
		if name, abstract := strings.CutPrefix(path, "@"); abstract {
			return event.AppendSockAddrUnix(nil, append([]byte{0}, name...)), nil
		}
		return event.AppendSockAddrUnix(nil, []byte(path)), nil
	}
	ap, err := netip.ParseAddrPort(val)
	if err != nil {
		return nil, fmt.Errorf("parse socket address %q: %w", val, err)
	}
	return event.AppendSockAddrInet(nil, ap), nil
}

func setFDs(ev *event.Event, i int, val string) error {
	var b []byte
	for _, s := range strings.Split(val, ",") {
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return fmt.Errorf("parse fds %q: %w", val, err)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
	}
	ev.SetBytes(i, b, uint32(len(b)))
	return nil
}
