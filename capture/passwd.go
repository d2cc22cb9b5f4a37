package capture

import (
	"bytes"
	"fmt"

	"github.com/syscam/syscam/event"
)

// passwdUser is one entry of the passwd file.
type passwdUser struct {
	UID, GID uint32
	Name     string
	Home     string
	Shell    string
}

// passwdGroup is one entry of the group file.
type passwdGroup struct {
	GID  uint32
	Name string
}

// maxAccountLines bounds the entries read from passwd and group files.
const maxAccountLines = 1 << 20

// parsePasswd parses a passwd(5) file, seven colon-separated fields per line:
//
//	root:x:0:0:root:/root:/bin/bash
//	sshd:x:105:65534::/run/sshd:/usr/sbin/nologin
//
// Empty lines, '#' comments and NIS "+"/"-" lines are skipped.
func parsePasswd(b []byte) ([]passwdUser, error) {
	var users []passwdUser
	err := eachAccountLine(b, 7, func(n int, f [][]byte) error {
		uid, ok1 := parseDec(f[2], 32)
		gid, ok2 := parseDec(f[3], 32)
		if !ok1 || !ok2 {
			return badField(n, "uid/gid", "bad ids %q:%q", clip(f[2]), clip(f[3]))
		}
		users = append(users, passwdUser{UID: uint32(uid), GID: uint32(gid),
			Name: string(f[0]), Home: string(f[5]), Shell: string(f[6])})
		return nil
	})
	return users, err
}

// parseGroup parses a group(5) file, four colon-separated fields per line:
//
//	root:x:0:
//	sudo:x:27:alice,bob
func parseGroup(b []byte) ([]passwdGroup, error) {
	var groups []passwdGroup
	err := eachAccountLine(b, 4, func(n int, f [][]byte) error {
		gid, ok := parseDec(f[2], 32)
		if !ok {
			return badField(n, "gid", "bad value %q", clip(f[2]))
		}
		groups = append(groups, passwdGroup{GID: uint32(gid), Name: string(f[0])})
		return nil
	})
	return groups, err
}

// eachAccountLine calls fn with the want fields of each entry line of an account file.
// Like the C library, it skips a malformed line and goes on, so one bad entry does not
// hide the others; the error returned names the first bad line and counts the rest.
func eachAccountLine(b []byte, want int, fn func(n int, fields [][]byte) error) error {
	fields := make([][]byte, 0, want)
	var first error
	bad := 0
	for n := 1; len(b) > 0; n++ {
		if n > maxAccountLines {
			return badField(n, "", "more than %d lines", maxAccountLines)
		}
		var line []byte
		line, b = nextLine(b)
		if len(line) == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' {
			continue
		}
		fields = splitColons(fields[:0], line)
		var err error
		if len(fields) == want {
			err = fn(n, fields)
		} else {
			err = badField(n, "", "want %d colon-separated fields, got %d", want, len(fields))
		}
		if err != nil {
			bad++
			if first == nil {
				first = err
			}
		}
	}
	if bad > 1 {
		return fmt.Errorf("%w (and %d more bad lines)", first, bad-1)
	}
	return first
}

func splitColons(dst [][]byte, line []byte) [][]byte {
	for {
		i := bytes.IndexByte(line, ':')
		if i < 0 {
			return append(dst, line)
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

func newUserInfo(at int64, u passwdUser) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeUserInfo}
	e.SetInt(0, uint64(u.UID))
	e.SetInt(1, uint64(u.GID))
	e.SetString(2, u.Name)
	e.SetString(3, u.Home)
	e.SetString(4, u.Shell)
	return e
}

func newGroupInfo(at int64, g passwdGroup) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeGroupInfo}
	e.SetInt(0, uint64(g.GID))
	e.SetString(1, g.Name)
	return e
}
