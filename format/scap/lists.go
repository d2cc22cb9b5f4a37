package scap

import "net/netip"

// User is one user of the UL block.
type User struct {
	UID, GID   uint32
	Name, Home string
	Shell      string
}

// Group is one group of the UL block.
type Group struct {
	GID  uint32
	Name string
}

// Interface is one entry of the IL block.
type Interface struct {
	Name          string
	Addr, Netmask netip.Addr
	Broadcast     netip.Addr
	LinkSpeed     uint64
}

// parseUserList reads a UL (v2 = UL_V2, with per-entry lengths including themselves).
func parseUserList(body []byte, v2 bool, s *Section) error {
	c := cursor{b: body}
	for i := 0; c.left() >= 4 && c.err == nil; i++ {
		start, end := c.off, len(body)
		if v2 {
			n := int(c.u32("entry length"))
			if n < 4 || n > len(body)-start {
				c.fail("user entry %d: length %d, %d bytes left", i, n, len(body)-start)
				break
			}
			end = start + n
		}
		ec := cursor{b: body[:end], off: c.off}
		switch typ := ec.u8("type"); typ {
		case 0:
			u := User{UID: ec.u32("uid"), GID: ec.u32("gid")}
			u.Name, u.Home, u.Shell = ec.str("name", maxCredLen), ec.str("homedir", maxPathLen), ec.str("shell", maxPathLen)
			s.Users = append(s.Users, u)
		case 1:
			g := Group{GID: ec.u32("gid")}
			g.Name = ec.str("name", maxCredLen)
			s.Groups = append(s.Groups, g)
		default:
			ec.fail("unknown user entry type %d", typ)
		}
		if ec.err != nil {
			return ecErr(ec.err, "user entry", i)
		}
		c.off = ec.off
		if v2 {
			c.off = end
		}
	}
	return c.err
}

// Interface entry types (SCAP_II_*).
const (
	iiIPv4            = 1
	iiIPv6            = 2
	iiIPv4NoLinkSpeed = 3
	iiIPv6NoLinkSpeed = 4
)

// parseIfList reads an IL (v2 = IL_V2: a u32 length, excluding itself, before each
// entry).
func parseIfList(body []byte, v2 bool, s *Section) error {
	c := cursor{b: body}
	for i := 0; c.left() >= 4 && c.err == nil; i++ {
		end := len(body)
		if v2 {
			n := int(c.u32("entry length"))
			if n > c.left() {
				c.fail("interface entry %d: length %d, %d bytes left", i, n, c.left())
				break
			}
			end = c.off + n
		}
		ec := cursor{b: body[:end], off: c.off}
		ifc, ok := readIface(&ec)
		if ec.err != nil {
			return ecErr(ec.err, "interface entry", i)
		}
		if !ok {
			break // unknown entry type without a length: the rest cannot be parsed
		}
		s.Ifaces = append(s.Ifaces, ifc)
		c.off = ec.off
		if v2 {
			c.off = end
		}
	}
	return c.err
}

func readIface(c *cursor) (Interface, bool) {
	var ifc Interface
	typ := c.u16("type")
	n := int(c.u16("name length"))
	switch typ {
	case iiIPv4, iiIPv4NoLinkSpeed:
		ifc.Addr, ifc.Netmask, ifc.Broadcast = addr4(c.take(4, "addr")), addr4(c.take(4, "netmask")), addr4(c.take(4, "bcast"))
	case iiIPv6, iiIPv6NoLinkSpeed:
		ifc.Addr, ifc.Netmask, ifc.Broadcast = addr16(c.take(16, "addr")), addr16(c.take(16, "netmask")), addr16(c.take(16, "bcast"))
	default:
		return ifc, false
	}
	if typ == iiIPv4 || typ == iiIPv6 {
		ifc.LinkSpeed = c.u64("linkspeed")
	}
	if n > maxCredLen {
		c.fail("interface name length %d", n)
	}
	ifc.Name = string(trimNUL(c.take(n, "name")))
	return ifc, true
}

func addr4(b []byte) netip.Addr {
	if len(b) != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(b))
}

func addr16(b []byte) netip.Addr {
	if len(b) != 16 {
		return netip.Addr{}
	}
	return netip.AddrFrom16([16]byte(b))
}
