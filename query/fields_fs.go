package query

import (
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/state"
)

// atFDCWD is AT_FDCWD: a dirfd that means the current directory.
const atFDCWD = -100

// fsFields are fs.path.*: the paths a file system event acts on, made absolute.
func fsFields() []*Field {
	return needs(NeedProcess|NeedFD,
		strField("fs.path.name", "path a single-path file system event acts on (open, mkdir, unlink, chmod...), made absolute with the cwd or dirfd", fsPath(func(p *pathParams) pathRef { return p.name }, true)),
		strField("fs.path.nameraw", "fs.path.name as the caller passed it", fsPath(func(p *pathParams) pathRef { return p.name }, false)),
		strField("fs.path.source", "source path of a two-path event (rename, link, symlink), made absolute", fsPath(func(p *pathParams) pathRef { return p.source }, true)),
		strField("fs.path.sourceraw", "fs.path.source as the caller passed it", fsPath(func(p *pathParams) pathRef { return p.source }, false)),
		strField("fs.path.target", "target path of a two-path event (the new name of a rename or link, the link of a symlink), made absolute", fsPath(func(p *pathParams) pathRef { return p.target }, true)),
		strField("fs.path.targetraw", "fs.path.target as the caller passed it", fsPath(func(p *pathParams) pathRef { return p.target }, false)),
	)
}

// pathRef locates a path parameter and the dirfd it is relative to (-1: none, the
// cwd; -2: never resolve, as a symlink's target).
type pathRef struct{ idx, dirfd int8 }

type pathParams struct{ name, source, target pathRef }

var pathTab = buildPathTable()

// buildPathTable finds, for each event type with path parameters, which is the name,
// the source and the target. Exec and snapshot types are left out: their paths are
// the image and the state, not what the event operates on.
func buildPathTable() []pathParams {
	tab := make([]pathParams, event.MaxType())
	none := pathRef{-1, -1}
	for _, in := range event.All() {
		p := pathParams{none, none, none}
		if !in.IsSyscall() || in.Category == event.CatProcess {
			tab[in.Type] = p
			continue
		}
		var refs []pathRef
		dirfd := int8(-1)
		for i, pi := range in.Params {
			switch {
			case pi.Kind == event.KindFD && (pi.Name == "dirfd" || pi.Name == "olddirfd" || pi.Name == "newdirfd"):
				dirfd = int8(i)
			case pi.Kind == event.KindPath && !(in.Name == "readlink" || in.Name == "readlinkat") || (pi.Kind == event.KindPath && pi.Name == "path"):
				refs = append(refs, pathRef{int8(i), dirfd})
			}
		}
		switch len(refs) {
		case 1:
			p.name = refs[0]
		case 2:
			p.source, p.target = refs[0], refs[1]
			if in.Name == "symlink" || in.Name == "symlinkat" {
				p.source.dirfd = -2
			}
		}
		tab[in.Type] = p
	}
	return tab
}

func fsPath(pick func(*pathParams) pathRef, resolve bool) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		e := in.Event
		if int(e.Type) >= len(pathTab) {
			return "", false
		}
		ref := pick(&pathTab[e.Type])
		if ref.idx < 0 || int(ref.idx) >= int(e.NParams) {
			return "", false
		}
		raw := e.Bytes(int(ref.idx))
		if !resolve || len(raw) == 0 || raw[0] == '/' || ref.dirfd == -2 {
			return str(raw), len(raw) > 0
		}
		base, ok := baseDir(in, ref.dirfd)
		if !ok {
			return str(raw), true
		}
		in.scratch = appendJoin(in.scratch[:0], base, raw)
		return str(in.scratch), true
	}
}

// baseDir returns the directory a relative path is resolved from: the dirfd's path,
// or the process's cwd.
func baseDir(in *Input, dirfd int8) (string, bool) {
	t, p := in.thread(), in.process()
	if t == nil || p == nil {
		return "", false
	}
	if dirfd >= 0 {
		if fd := int32(in.Event.Params[dirfd].Val); fd != atFDCWD {
			f := t.FD(fd)
			if f == nil || f.Type != state.FDDirectory {
				return "", false
			}
			return f.Name, true
		}
	}
	return p.Cwd, p.Cwd != ""
}

// appendJoin appends base/rel, resolving "." and ".." segments lexically.
func appendJoin(dst []byte, base string, rel []byte) []byte {
	start := len(dst)
	dst = append(dst, base...)
	for len(rel) > 0 {
		seg := rel
		if i := indexByte(rel, '/'); i >= 0 {
			seg, rel = rel[:i], rel[i+1:]
		} else {
			rel = nil
		}
		switch string(seg) {
		case "", ".":
		case "..":
			dst = dst[:max(start+1, lastSlash(dst[start:])+start)]
		default:
			if len(dst) == start || dst[len(dst)-1] != '/' {
				dst = append(dst, '/')
			}
			dst = append(dst, seg...)
		}
	}
	if len(dst) == start {
		dst = append(dst, '/')
	}
	return dst
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func lastSlash(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '/' {
			return i
		}
	}
	return 0
}
