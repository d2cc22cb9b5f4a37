package capture

import "bytes"

// maxMountinfoLines bounds the lines of a mountinfo file read; hosts running many
// containers have thousands of mounts.
const maxMountinfoLines = 1 << 18

// parseCgroup2Mount finds where the cgroup v2 hierarchy is mounted, from
// /proc/PID/mountinfo (proc(5)):
//
//	36 35 98:0 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw
//	41 30 0:35 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
//	id parent dev root mount-point options [optional fields...] - fstype source super-options
//
// The first cgroup2 mount of the hierarchy's root ("/") wins; mount points are
// unescaped (\040 is a space). ok is false when there is none (a cgroup v1-only host).
func parseCgroup2Mount(b []byte) (mountPoint string, ok bool, err error) {
	for n := 1; len(b) > 0; n++ {
		if n > maxMountinfoLines {
			return "", false, badField(n, "", "more than %d lines", maxMountinfoLines)
		}
		var line []byte
		line, b = nextLine(b)
		if len(line) == 0 {
			continue
		}
		pre, post, found := bytes.Cut(line, []byte(" - "))
		if !found {
			return "", false, badField(n, "", "no \" - \" separator")
		}
		fstype, _ := nextField(post)
		if string(fstype) != "cgroup2" {
			continue
		}
		var f [5][]byte
		for i := range f {
			f[i], pre = nextField(pre)
		}
		if len(f[4]) == 0 {
			return "", false, badField(n, "mount point", "missing")
		}
		if string(f[3]) == "/" {
			return string(unescapeOctal(f[4])), true, nil
		}
	}
	return "", false, nil
}

// unescapeOctal undoes the kernel's \ooo escaping of spaces, tabs, newlines and
// backslashes in mountinfo paths.
func unescapeOctal(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b) && isOctal(b[i+1]) && isOctal(b[i+2]) && isOctal(b[i+3]) {
			out = append(out, (b[i+1]-'0')<<6|(b[i+2]-'0')<<3|(b[i+3]-'0'))
			i += 3
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
