package scap

// PPM flag conversions. The scap drivers store many flag and enum parameters as
// driver-defined PPM_* values (driver/ppm_events_public.h), not as Linux's; syscam
// stores Linux x86_64 values, so these tables translate, bit by bit or value by value.
// Bits with no Linux meaning (PPM_O_F_CREATED, libsinsp-internal PPM_CL_* bits) are
// dropped.

// bitMap pairs a PPM bit with the Linux bits it stands for.
type bitMap struct{ ppm, linux uint64 }

func convertBits(v uint64, table []bitMap) uint64 {
	var out uint64
	for _, m := range table {
		if v&m.ppm != 0 {
			out |= m.linux
		}
	}
	return out
}

// openBits: PPM_O_* (bits 2 and up) → O_*. The access mode is handled by openFlags.
var openBits = []bitMap{
	{1 << 2, 0o100}, {1 << 3, 0o2000}, {1 << 4, 0o10000}, {1 << 5, 0o200},
	{1 << 6, 0o4000}, {1 << 7, 0o4010000}, {1 << 8, 0o1000}, {1 << 9, 0o40000},
	{1 << 10, 0o200000}, {1 << 11, 0o100000}, {1 << 12, 0o2000000}, {1 << 13, 0o20200000},
}

// openFlags converts PPM open flags: PPM_O_RDONLY=1, WRONLY=2, RDWR=3 become O_RDONLY=0,
// O_WRONLY=1, O_RDWR=2.
func openFlags(v uint64) uint64 {
	acc := uint64(0)
	switch v & 3 {
	case 2:
		acc = 1
	case 3:
		acc = 2
	}
	return acc | convertBits(v, openBits)
}

// cloneBits: PPM_CL_* → CLONE_*.
var cloneBits = []bitMap{
	{1 << 0, 0x400}, {1 << 1, 0x200}, {1 << 2, 0x80000000}, {1 << 3, 0x08000000},
	{1 << 4, 0x40000000}, {1 << 5, 0x20000}, {1 << 6, 0x20000000}, {1 << 7, 0x04000000},
	{1 << 8, 0x8000}, {1 << 9, 0x100000}, {1 << 10, 0x2000}, {1 << 11, 0x800},
	{1 << 12, 0x40000}, {1 << 13, 0x10000}, {1 << 14, 0x800000}, {1 << 15, 0x100},
	{1 << 20, 0x10000000}, {1 << 23, 0x200000}, {1 << 24, 0x01000000},
	{1 << 25, 0x80000}, {1 << 27, 0x4000}, {1 << 28, 0x02000000},
}

// PPM_CL_* bits the mapper looks at.
const (
	ppmCloneFiles     = 1 << 0
	ppmCloneFS        = 1 << 1
	ppmCloneThread    = 1 << 13
	ppmCloneVM        = 1 << 15
	ppmCloneVfork     = 1 << 27
	ppmChildInPidNS   = 1 << 29
	linuxCloneThread  = 0x10000
	linuxCloneNewPID  = 0x20000000
	forkThread        = 1
	forkShareFiles    = 2
	forkShareFS       = 4
	forkShareVM       = 8
	forkNewPidNS      = 16
	forkVfork         = 32
	ppmSockoptSocket  = 1
	ppmSockoptTCP     = 2
	unknownEnum       = ^uint64(0)
	ppmExvatEmptyPath = 1 << 0
	ppmExvatNofollow  = 1 << 1
)

func cloneFlags(v uint64) uint64 { return convertBits(v, cloneBits) }

// forkFlags derives syscam's procfork flags from PPM clone flags.
func forkFlags(v uint64) uint64 {
	return convertBits(v, []bitMap{{ppmCloneThread, forkThread}, {ppmCloneFiles, forkShareFiles},
		{ppmCloneFS, forkShareFS}, {ppmCloneVM, forkShareVM}, {ppmChildInPidNS, forkNewPidNS},
		{ppmCloneVfork, forkVfork}})
}

var protBits = []bitMap{{1, 1}, {2, 2}, {4, 4}, {8, 8}, {1 << 4, 0x01000000}, {1 << 5, 0x02000000}}

var mmapBits = []bitMap{
	{1 << 0, 1}, {1 << 1, 2}, {1 << 2, 0x10}, {1 << 3, 0x20}, {1 << 4, 0x40},
	{1 << 6, 0x4000}, {1 << 7, 0x8000}, {1 << 8, 0x10000}, {1 << 9, 0x100},
	{1 << 10, 0x800}, {1 << 11, 0x1000}, {1 << 14, 0x2000},
}

// resolveBits: PPM_RESOLVE_* → RESOLVE_* (openat2).
var resolveBits = []bitMap{{1 << 0, 0x08}, {1 << 1, 0x10}, {1 << 2, 0x02}, {1 << 3, 0x04}, {1 << 4, 0x01}, {1 << 5, 0x20}}

// ioUringSetupBits: PPM_IORING_SETUP_* (with the SQ_NEED_WAKEUP hole) → IORING_SETUP_*.
var ioUringSetupBits = []bitMap{{1, 1}, {2, 2}, {1 << 3, 4}, {1 << 4, 8}, {1 << 5, 16}, {1 << 6, 32}, {1 << 7, 64}}

var execveatBits = []bitMap{{ppmExvatEmptyPath, 0x1000}, {ppmExvatNofollow, 0x100}}

// fcntlCmds: PPM_FCNTL_* → F_* (index = PPM value).
var fcntlCmds = map[uint64]uint64{
	1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 8: 6, 9: 7, 10: 8, 12: 9, 13: 10, 15: 11,
	21: 15, 22: 16, 23: 1024, 24: 1025, 25: 1029, 26: 1030, 27: 1026, 28: 1031,
	29: 1032, 30: 36, 31: 37, 32: 38,
}

// ptraceReqs: PPM_PTRACE_* → PTRACE_*.
var ptraceReqs = map[uint64]uint64{
	1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8, 10: 9, 11: 16, 12: 17, 13: 24,
	14: 0x4200, 15: 0x4201, 16: 0x4202, 17: 0x4203, 18: 0x4204, 19: 0x4205, 20: 0x4206,
	21: 0x4207, 22: 0x4208, 23: 0x4209, 24: 0x420a, 25: 0x420b, 26: 12, 27: 13, 28: 14,
	29: 15, 30: 18, 31: 19, 32: 21, 33: 25, 34: 26, 35: 30, 36: 31, 37: 32, 38: 33,
}

// sockoptLevels: PPM_SOCKOPT_LEVEL_* → SOL_*.
var sockoptLevels = map[uint64]uint64{ppmSockoptSocket: 1, ppmSockoptTCP: 6}

func enumValue(m map[uint64]uint64, v uint64) uint64 {
	if l, ok := m[v]; ok {
		return l
	}
	return unknownEnum
}
