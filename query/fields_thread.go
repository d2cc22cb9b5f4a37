package query

import "github.com/syscam/syscam/state"

// capNames are the Linux capability names by bit number.
var capNames = [...]string{"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE"}

// appendCaps appends the names of the bits of caps, separated by spaces, as Falco's
// thread.cap_* fields print them.
func appendCaps(dst []byte, caps uint64) []byte {
	first := true
	for i := 0; i < 64; i++ {
		if caps&(1<<i) == 0 {
			continue
		}
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		if i < len(capNames) {
			dst = append(dst, capNames[i]...)
		} else {
			dst = append(dst, "CAP_"...)
			dst = append(dst, byte('0'+i/10), byte('0'+i%10))
		}
	}
	return dst
}

// capField is a list field: each capability of the set is one value.
func capField(name, desc string, get func(*state.Creds) uint64) *Field {
	any := func(in *Input, test func(string) bool) bool {
		t := in.thread()
		if t == nil {
			return false
		}
		caps := get(&t.Creds)
		for i := 0; i < len(capNames); i++ {
			if caps&(1<<i) != 0 && test(capNames[i]) {
				return true
			}
		}
		return false
	}
	return &Field{Name: name, Type: TypeString, Desc: desc, List: true,
		bind: fixed(extractor{typ: TypeString, list: true, anyStr: any})}
}
