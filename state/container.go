package state

import "strings"

// Container is a container a process runs in, identified from its cgroup path and
// completed by containerinfo snapshot events.
type Container struct {
	ID      string // 64 hex digits for docker/containerd/cri-o/podman, as in the cgroup path
	Runtime string // "docker", "containerd", "cri-o", "podman", "lxc", "systemd-nspawn"
	Name    string
	Image   string
	Cgroup  string // the cgroup path it was found in
}

// ShortID returns the first 12 characters of the id, as Falco's container.id.
func (c *Container) ShortID() string {
	if len(c.ID) > 12 {
		return c.ID[:12]
	}
	return c.ID
}

// ContainerFromCgroup guesses the container of a cgroup v2 path, or ok false for a
// host cgroup. Patterns, newest runtimes first:
//
//	/system.slice/docker-<id>.scope                        docker (systemd driver)
//	/docker/<id>                                           docker (cgroupfs driver)
//	/kubepods.slice/.../cri-containerd-<id>.scope          containerd
//	/kubepods/besteffort/pod<uid>/<id>                     containerd or cri-o (cgroupfs)
//	/kubepods.slice/.../crio-<id>.scope                    cri-o
//	/machine.slice/libpod-<id>.scope, /libpod_parent/...   podman
//	/lxc.payload.<name>/...                                lxc
//	/machine.slice/systemd-nspawn@<name>.service           systemd-nspawn
func ContainerFromCgroup(path string) (id, runtime string, ok bool) {
	for _, seg := range strings.Split(path, "/") {
		if id, rt, ok := scopeContainer(seg); ok {
			return id, rt, true
		}
	}
	for _, p := range []struct{ prefix, runtime string }{
		{"/docker/", "docker"}, {"/kubepods/", "containerd"}, {"/libpod_parent/", "podman"},
	} {
		if i := strings.Index(path, p.prefix); i >= 0 {
			last := path[strings.LastIndexByte(path, '/')+1:]
			if isContainerID(last) {
				return last, p.runtime, true
			}
		}
	}
	if rest, found := strings.CutPrefix(path, "/lxc.payload."); found {
		name, _, _ := strings.Cut(rest, "/")
		return name, "lxc", name != ""
	}
	if _, rest, found := strings.Cut(path, "/systemd-nspawn@"); found {
		name, _, _ := strings.Cut(rest, ".service")
		return name, "systemd-nspawn", name != ""
	}
	return "", "", false
}

// scopeContainer matches one systemd scope segment: "docker-<id>.scope".
func scopeContainer(seg string) (id, runtime string, ok bool) {
	base, found := strings.CutSuffix(seg, ".scope")
	if !found {
		return "", "", false
	}
	for _, p := range []struct{ prefix, runtime string }{
		{"docker-", "docker"}, {"cri-containerd-", "containerd"}, {"crio-", "cri-o"},
		{"libpod-", "podman"},
	} {
		if id, found := strings.CutPrefix(base, p.prefix); found && isContainerID(id) {
			return id, p.runtime, true
		}
	}
	return "", "", false
}

// isContainerID reports whether s is 64 lowercase hex digits.
func isContainerID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
