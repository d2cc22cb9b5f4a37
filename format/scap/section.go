package scap

import (
	"encoding/binary"
	"fmt"
)

// Section is what the header blocks of one capture section say: the file version, the
// machine, and the state of the host when the capture started.
type Section struct {
	Major, Minor uint16
	// Comments are pcapng opt_comment options of the section header (Wireshark's
	// editcap writes them); UserAppl is its shb_userappl option.
	Comments []string
	UserAppl string
	Machine  *MachineInfo // nil when the capture has no MI block
	Threads  []Thread     // one per thread, from the PL block
	FDs      []FD         // from the FDL blocks
	Users    []User
	Groups   []Group
	Ifaces   []Interface
	// Skipped counts header blocks of unknown types, by type.
	Skipped map[uint32]int
}

// MachineInfo is the MI block (libscap's scap_machine_info).
type MachineInfo struct {
	NumCPUs     uint32
	MemoryBytes uint64
	MaxPID      uint64
	Hostname    string
	BootTime    int64 // wall clock ns; 0 in captures older than libs 0.11
	Flags       uint64
}

// parseSHB reads the section header body: magic, version, section length, options.
func parseSHB(body []byte, s *Section) error {
	c := cursor{b: body}
	magic := c.u32("byte order magic")
	s.Major = c.u16("major version")
	s.Minor = c.u16("minor version")
	c.u64("section length")
	if c.err != nil {
		return c.err
	}
	if magic != byteOrderMagic {
		return fmt.Errorf("%w: byte order magic %#x (only little-endian captures are supported)", ErrNotScap, magic)
	}
	if s.Major != 1 {
		return corruptf("major version %d, only 1 is known", s.Major)
	}
	parseOptions(body[c.off:], s)
	return nil
}

// parseOptions reads pcapng options (code, length, value padded to 4) until the end
// option; malformed options end the list silently, as libscap ignores them.
func parseOptions(b []byte, s *Section) {
	for len(b) >= 4 {
		code := binary.LittleEndian.Uint16(b[0:2])
		n := int(binary.LittleEndian.Uint16(b[2:4]))
		if code == 0 || 4+n > len(b) {
			return
		}
		v := string(trimNUL(b[4 : 4+n]))
		switch code {
		case 1:
			s.Comments = append(s.Comments, v)
		case 4:
			s.UserAppl = v
		}
		b = b[min(len(b), 4+(n+3)&^3):]
	}
}

// parseMI reads the machine info block.
func parseMI(body []byte) (*MachineInfo, error) {
	c := cursor{b: body}
	m := &MachineInfo{}
	m.NumCPUs = c.u32("num_cpus")
	m.MemoryBytes = c.u64("memory_size_bytes")
	m.MaxPID = c.u64("max_pid")
	m.Hostname = string(cstr(c.take(128, "hostname")))
	if c.left() >= 16 {
		m.BootTime = c.i64("boot_ts_epoch")
		m.Flags = c.u64("flags")
	}
	return m, c.err
}

// cstr returns b up to its first NUL.
func cstr(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
