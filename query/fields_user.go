package query

import (
	"strings"

	"github.com/syscam/syscam/state"
)

// userFields are user.*, group.* and container.*: the thread's credentials resolved
// through the trace's passwd, group and cgroup records.
func userFields() []*Field {
	return needs(NeedProcess,
		numField("user.uid", TypeInt, "effective user id of the thread", credNum(func(c *state.Creds) int64 { return int64(c.EUID) })),
		strField("user.name", "name of the effective user (absent when the trace has no passwd entry for it)", userStr(func(u *state.User) string { return u.Name })),
		strField("user.homedir", "home directory of the effective user", userStr(func(u *state.User) string { return u.Home })),
		strField("user.shell", "login shell of the effective user", userStr(func(u *state.User) string { return u.Shell })),
		numField("user.loginuid", TypeInt, "audit login uid, -1 when unset (a daemon never logged in)", credNum(func(c *state.Creds) int64 { return int64(int32(c.LoginUID)) })),
		strField("user.loginname", "name of the login user", func(in *Input) (string, bool) {
			if in.thread() == nil {
				return "", false
			}
			u := in.View.LoginUser()
			if u == nil {
				return "", false
			}
			return u.Name, true
		}),
		numField("group.gid", TypeInt, "effective group id of the thread", credNum(func(c *state.Creds) int64 { return int64(c.EGID) })),
		strField("group.name", "name of the effective group", func(in *Input) (string, bool) {
			if in.thread() == nil {
				return "", false
			}
			g := in.View.Group()
			if g == nil {
				return "", false
			}
			return g.Name, true
		}),
		strField("container.id", "container id, 12 characters, or host", containerStr("host", (*state.Container).ShortID)),
		strField("container.full_id", "full container id (64 hex digits), or host", containerStr("host", func(c *state.Container) string { return c.ID })),
		strField("container.name", "container name, or host", containerStr("host", func(c *state.Container) string { return c.Name })),
		strField("container.type", "container runtime: docker, containerd, cri-o, podman, lxc, systemd-nspawn", containerStr("", func(c *state.Container) string { return c.Runtime })),
		strField("container.image", "container image, as the runtime named it", containerStr("", func(c *state.Container) string { return c.Image })),
		strField("container.image.repository", "container image without its tag or digest", containerStr("", func(c *state.Container) string { return imageRepo(c.Image) })),
		strField("container.image.tag", "tag of the container image", containerStr("", func(c *state.Container) string { return imageTag(c.Image) })),
		strField("container.cgroup", "cgroup path the container was found in", containerStr("", func(c *state.Container) string { return c.Cgroup })),
	)
}

func credNum(fn func(*state.Creds) int64) func(*Input) (int64, bool) {
	return func(in *Input) (int64, bool) {
		t := in.thread()
		if t == nil {
			return 0, false
		}
		return fn(&t.Creds), true
	}
}

func userStr(fn func(*state.User) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		if in.thread() == nil {
			return "", false
		}
		u := in.View.User()
		if u == nil {
			return "", false
		}
		s := fn(u)
		return s, s != ""
	}
}

// containerStr reads a container attribute; host is the value outside containers ("" :
// absent there).
func containerStr(host string, fn func(*state.Container) string) func(*Input) (string, bool) {
	return func(in *Input) (string, bool) {
		if in.process() == nil {
			return "", false
		}
		c := in.View.Container()
		if c == nil {
			return host, host != ""
		}
		s := fn(c)
		return s, s != ""
	}
}

// imageRepo strips the tag and digest: "docker.io/library/nginx:1.25" is
// "docker.io/library/nginx"; a registry port ("registry:5000/app") is kept.
func imageRepo(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		image = image[:i]
	}
	return image
}

func imageTag(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		return image[i+1:]
	}
	return ""
}

// unrecordedFields are Falco fields whose data syscam does not record. They exist so
// that Falco rules using them load; they are always absent, so a comparison with them
// is false (and its negation true).
func unrecordedFields() []*Field {
	never := func(*Input) (string, bool) { return "", false }
	f := func(name, desc string) *Field {
		return strField(name, "not recorded by syscam, always absent: "+desc, never)
	}
	fs := []*Field{
		f("container.privileged", "whether the container runs privileged"),
		f("container.start_ts", "when the container started"),
		f("k8s.ns.name", "Kubernetes namespace"),
		f("k8s.pod.name", "Kubernetes pod name"),
		f("fd.cip.name", "DNS name of the client IP"),
		f("fd.sip.name", "DNS name of the server IP"),
		f("fd.lip.name", "DNS name of the local IP"),
		f("fd.rip.name", "DNS name of the remote IP"),
		f("proc.is_exe_upper_layer", "whether the executable is in an overlayfs upper layer"),
		f("proc.exe_ino.ctime", "status change time of the executable"),
		f("proc.exe_ino.ctime_duration_proc_start", "time between the executable's last status change and the process start"),
		f("container.mounts", "the container's mounts"),
	}
	retype := func(f *Field, t Type) {
		ex := extractor{typ: t}
		switch t {
		case TypeBool:
			ex.flag = func(*Input) (bool, bool) { return false, false }
		default:
			ex.num = func(*Input) (int64, bool) { return 0, false }
		}
		f.Type, f.bind = t, fixed(ex)
	}
	for _, f := range fs {
		switch f.Name {
		case "container.privileged", "proc.is_exe_upper_layer":
			retype(f, TypeBool)
		case "container.start_ts", "proc.exe_ino.ctime":
			retype(f, TypeTime)
		case "proc.exe_ino.ctime_duration_proc_start":
			retype(f, TypeDuration)
		}
	}
	mounts := &Field{Name: "container.mount.dest", Type: TypeString, Arg: ArgRequired, ArgName: "PATH",
		Desc: "not recorded by syscam, always absent: the source of the container mount at PATH",
		bind: func(string, bool) (extractor, error) { return extractor{typ: TypeString, str: never}, nil }}
	return append(fs, mounts)
}
