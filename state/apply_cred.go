package state

import "github.com/syscam/syscam/event"

// keep is the -1 of setreuid and friends: leave that id as it is.
const keep = ^uint32(0)

// applyCred applies a successful set*id or capset call to the calling thread, with the
// kernel's rules: a privileged setuid sets every id, an unprivileged one only the
// effective and fs ids.
func applyCred(ev *event.Event, t *Thread) {
	c := &t.Creds
	t.credGen = 0 // the cached user and group may change
	a := func(i int8) uint32 { return uint32(pint(ev, i)) }
	switch ev.Name() {
	case "setuid":
		if c.EUID == 0 {
			c.UID, c.SUID = a(0), a(0)
		}
		c.EUID, c.FSUID = a(0), a(0)
	case "setgid":
		if c.EUID == 0 {
			c.GID, c.SGID = a(0), a(0)
		}
		c.EGID, c.FSGID = a(0), a(0)
	case "setreuid":
		setID(&c.UID, a(0))
		setID(&c.EUID, a(1))
		c.FSUID = c.EUID
	case "setregid":
		setID(&c.GID, a(0))
		setID(&c.EGID, a(1))
		c.FSGID = c.EGID
	case "setresuid":
		setID(&c.UID, a(0))
		setID(&c.EUID, a(1))
		setID(&c.SUID, a(2))
		c.FSUID = c.EUID
	case "setresgid":
		setID(&c.GID, a(0))
		setID(&c.EGID, a(1))
		setID(&c.SGID, a(2))
		c.FSGID = c.EGID
	case "setfsuid":
		c.FSUID = a(0)
	case "setfsgid":
		c.FSGID = a(0)
	case "capset":
		c.CapEffective, c.CapPermitted = uint64(pint(ev, 0)), uint64(pint(ev, 1))
		c.CapInheritable = uint64(pint(ev, 2))
	}
}

func setID(dst *uint32, v uint32) {
	if v != keep {
		*dst = v
	}
}
