package capture

import (
	"bytes"
	"strings"

	"github.com/syscam/syscam/event"
)

// procCgroup is what /proc/PID/cgroup says of a process: its path in the cgroup v2
// hierarchy and, on a v1 or hybrid host, the path of its first v1 hierarchy that names
// a container (a container's id shows there even when v2 is mounted but unused).
type procCgroup struct {
	V2    []byte
	HasV2 bool
	V1    []byte
	HasV1 bool
}

// maxCgroupLines bounds the lines of /proc/PID/cgroup read: one per hierarchy.
const maxCgroupLines = 64

// parseCgroupFile parses /proc/PID/cgroup, one "hierarchy-id:controllers:path" line per
// mounted hierarchy (cgroups(7)):
//
//	9:name=systemd:/
//	4:memory:/process_api/13c3f95103b85cedad650757d1a9f766
//	0::/system.slice/docker-4f2b…e1.scope     (the v2 line: id 0, no controllers)
//
// Paths may hold ':', so a line splits at its first two colons only. They cannot hold
// a newline (cgroup_mkdir refuses one), so a cgroup name cannot forge a line.
func parseCgroupFile(b []byte) (procCgroup, error) {
	var pc procCgroup
	for n := 1; len(b) > 0; n++ {
		if n > maxCgroupLines {
			return pc, badField(n, "", "more than %d lines", maxCgroupLines)
		}
		var line []byte
		line, b = nextLine(b)
		if len(line) == 0 {
			continue
		}
		if err := pc.parseLine(n, line); err != nil {
			return pc, err
		}
	}
	return pc, nil
}

func (pc *procCgroup) parseLine(n int, line []byte) error {
	id, rest, ok1 := bytes.Cut(line, []byte(":"))
	_, path, ok2 := bytes.Cut(rest, []byte(":"))
	if !ok1 || !ok2 {
		return badField(n, "", "want id:controllers:path, got %q", clip(line))
	}
	if _, ok := parseDec(id, 32); !ok {
		return badField(n, "hierarchy-id", "bad value %q", clip(id))
	}
	if len(path) == 0 || path[0] != '/' {
		return badField(n, "path", "not absolute: %q", clip(path))
	}
	if string(id) == "0" {
		pc.V2, pc.HasV2 = path, true
		return nil
	}
	if !pc.HasV1 || (!hasContainer(pc.V1) && hasContainer(path)) {
		pc.V1, pc.HasV1 = path, true
	}
	return nil
}

func hasContainer(path []byte) bool {
	_, ok := ContainerFromCgroup(string(path))
	return ok
}

// Container is what a cgroup path tells of a container: its id and the runtime whose
// naming pattern the path follows.
type Container struct {
	ID      string // the full id (64 hex digits), or the name for lxc
	Runtime string // docker, containerd, cri-o, podman, lxc, systemd-nspawn
	Name    string // from the runtime's files (ContainerMeta), not the path
	Image   string
}

// containerPrefixes are systemd scope names of container runtimes:
// "<prefix><64 hex>.scope".
var containerPrefixes = []struct{ prefix, runtime string }{
	{"docker-", "docker"},
	{"cri-containerd-", "containerd"},
	{"crio-", "cri-o"},
	{"libpod-", "podman"},
	{"nerdctl-", "containerd"},
}

// ContainerFromCgroup finds the container a cgroup path belongs to, from the innermost
// path component that follows a runtime's pattern:
//
//	/system.slice/docker-<64hex>.scope                          docker (systemd driver)
//	/docker/<64hex>                                             docker (cgroupfs driver)
//	/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/
//	    cri-containerd-<64hex>.scope                            containerd
//	/kubepods.slice/…/crio-<64hex>.scope                        cri-o
//	/kubepods/besteffort/pod<uid>/<64hex>                       containerd (a guess: kubelet's
//	                                                            cgroupfs driver names no runtime)
//	/machine.slice/libpod-<64hex>.scope, /libpod_parent/libpod-<64hex>   podman
//	/lxc/<name>, /lxc.payload.<name>, /lxc.payload/<name>       lxc (the id is the name)
//	/machine.slice/systemd-nspawn@<name>.service                systemd-nspawn (id: the name)
//
// Conmon scopes (crio-conmon-, libpod-conmon-) hold the runtime's monitor, not the
// container, and do not match. Name and image are not in the path (see ContainerMeta).
// The runtime names
// are those of state.ContainerFromCgroup, which reads the same paths in a replay.
func ContainerFromCgroup(path string) (Container, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if c, ok := containerFromPart(parts, i); ok {
			return c, true
		}
	}
	return Container{}, false
}

func containerFromPart(parts []string, i int) (Container, bool) {
	p := parts[i]
	for _, cp := range containerPrefixes {
		id, ok := strings.CutPrefix(p, cp.prefix)
		if ok {
			id = strings.TrimSuffix(id, ".scope")
			if isHex64(id) {
				return Container{ID: id, Runtime: cp.runtime}, true
			}
		}
	}
	if i > 0 && isHex64(p) {
		switch {
		case parts[i-1] == "docker":
			return Container{ID: p, Runtime: "docker"}, true
		case strings.HasPrefix(parts[i-1], "pod") && containsPart(parts[:i], "kubepods"):
			// The path does not name the CRI runtime; containerd is the common one, and
			// the name state.ContainerFromCgroup gives the same layout.
			return Container{ID: p, Runtime: "containerd"}, true
		}
	}
	if name, ok := strings.CutPrefix(p, "systemd-nspawn@"); ok {
		if name, ok = strings.CutSuffix(name, ".service"); ok && name != "" {
			return Container{ID: name, Runtime: "systemd-nspawn"}, true
		}
	}
	return lxcFromPart(parts, i)
}

func lxcFromPart(parts []string, i int) (Container, bool) {
	p := parts[i]
	if name, ok := strings.CutPrefix(p, "lxc.payload."); ok && name != "" {
		return Container{ID: name, Runtime: "lxc"}, true
	}
	if i > 0 && (parts[i-1] == "lxc" || parts[i-1] == "lxc.payload") && p != "" {
		return Container{ID: p, Runtime: "lxc"}, true
	}
	return Container{}, false
}

func containsPart(parts []string, name string) bool {
	for _, p := range parts {
		if p == name || strings.HasPrefix(p, name+".") {
			return true
		}
	}
	return false
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// NewCgroupInfo returns the cgroupinfo event of a cgroup v2 id and its path relative to
// the hierarchy's root ("/system.slice/ssh.service"), timed at.
func NewCgroupInfo(at int64, id uint64, path string) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeCgroupInfo}
	e.SetInt(0, id)
	e.SetString(1, path)
	return e
}

// NewContainerInfo returns the containerinfo event of container c, whose cgroup path
// is path.
func NewContainerInfo(at int64, c Container, path string) *event.Event {
	e := &event.Event{Time: at, Type: event.TypeContainerInfo}
	e.SetString(0, c.ID)
	e.SetString(1, c.Runtime)
	e.SetString(2, c.Name)
	e.SetString(3, c.Image)
	e.SetString(4, path)
	return e
}

// AppendCgroupEvents appends the events that describe a cgroup met for the first time:
// its cgroupinfo, and a containerinfo when its path names a container. The recorder
// calls it for each new cgroup id it sees in events.
func AppendCgroupEvents(dst []*event.Event, at int64, id uint64, path string) []*event.Event {
	dst = append(dst, NewCgroupInfo(at, id, path))
	if c, ok := ContainerFromCgroup(path); ok {
		dst = append(dst, NewContainerInfo(at, c, path))
	}
	return dst
}
