package query

import "testing"

// falcoRuleFields are the fields Falco's public rules (falcosecurity/rules: stable,
// incubating and sandbox files) use in conditions and outputs.
var falcoRuleFields = []string{
	"fd.name", "proc.name", "proc.cmdline", "container.image.repository", "proc.pname", "evt.type",
	"proc.args", "proc.aname[2]", "fd.directory", "fd.typechar", "proc.aname[3]", "proc.pcmdline",
	"user.name", "evt.arg.path", "proc.pexe", "evt.rawres", "proc.exe", "thread.cap_permitted",
	"evt.arg.name", "evt.arg.oldpath", "evt.arg.uid", "evt.res", "fd.net", "fd.num", "k8s.ns.name",
	"fd.ip", "fd.l4proto", "fd.sport", "proc.aname[4]", "evt.arg.newpath", "evt.arg.request",
	"proc.aname", "container.id", "evt.arg.mode", "evt.arg.flags", "evt.is_open_read",
	"fd.connected", "fd.filename", "fd.name_changed", "fd.sip.name", "fd.snet", "user.uid",
	"container.privileged", "evt.is_open_write", "evt.num", "proc.tty", "proc.vpid",
	"thread.cap_effective", "evt.arg.cmd", "evt.arg.target", "fd.nameraw", "fd.sip", "fd.type",
	"proc.aname[1]", "proc.aname[5]", "proc.cwd", "proc.env", "user.loginuid",
	"container.mount.dest[/]", "container.mount.dest[/proc*]", "container.mount.dest[/var/run/docker.sock]",
	"evt.arg.domain", "evt.arg.filename", "evt.buffer", "evt.is_open_exec", "fd.cip", "fd.cip.name",
	"fd.cnet", "fd.port", "fd.rnet", "fd.sockfamily", "k8s.pod.name", "proc.aexe[2]",
	"proc.duration", "proc.exepath", "proc.is_exe_from_memfd", "proc.is_exe_upper_layer",
	"proc.is_vpgid_leader",
	// outputs only
	"user.loginname", "fd.lport", "fd.rport", "container.start_ts", "evt.args", "group.gid",
	"group.name", "proc.pexepath", "proc.sname", "container.mounts", "evt.arg.fd",
	"evt.arg.linkpath", "fd.lip.name", "fd.rip", "fd.rip.name", "proc.aexepath[2]",
	"proc.aname[6]", "proc.aname[7]", "proc.exe_ino.ctime", "proc.exe_ino.ctime_duration_proc_start",
	"proc.exe_ino.mtime",
}

// TestFalcoRuleFieldsExist checks that every field Falco's public rules use can be
// printed and tested.
func TestFalcoRuleFieldsExist(t *testing.T) {
	for _, name := range falcoRuleFields {
		if _, err := NewFormatter("%"+name, nil); err != nil {
			t.Errorf("output %%%s: %v", name, err)
		}
		if _, err := Compile(name+" exists", Options{}); err != nil {
			t.Errorf("condition %s exists: %v", name, err)
		}
	}
}

// TestFalcoRuleOperators checks every operator Falco's public rules use, in the
// spellings they use.
func TestFalcoRuleOperators(t *testing.T) {
	for _, cond := range []string{
		"evt.type=execve and evt.dir=<", "fd.name startswith /etc", "proc.name in (sh, bash)",
		"proc.cmdline contains \"-c\"", "fd.filename endswith .pem", "proc.pname != sshd",
		"fd.num>=0", "proc.cmdline icontains 'curl'", "fd.name glob '/etc/*.conf'",
		"fd.name pmatch (/etc, /usr/bin)", "proc.env exists", "evt.rawres<=0",
		"evt.buffer bcontains 7f454c46", "thread.cap_permitted intersects (CAP_SYS_ADMIN)",
		"container.privileged = true", "proc.exe_ino.ctime_duration_proc_start <= 5s", "container.start_ts > 0",
	} {
		if _, err := Compile(cond, Options{}); err != nil {
			t.Errorf("compile %q: %v", cond, err)
		}
	}
}
