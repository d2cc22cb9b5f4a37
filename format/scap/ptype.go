package scap

// ptType is a scap parameter type (libs' enum ppm_param_type, driver/ppm_events_public.h).
type ptType uint8

// Parameter types, in libs' numbering.
const (
	ptNone ptType = iota
	ptInt8
	ptInt16
	ptInt32
	ptInt64
	ptUint8
	ptUint16
	ptUint32
	ptUint64
	ptCharbuf
	ptBytebuf
	ptErrno
	ptSockaddr
	ptSocktuple
	ptFd
	ptPid
	ptFdlist
	ptFspath
	ptSyscallid
	ptSigtype
	ptReltime
	ptAbstime
	ptPort
	ptL4proto
	ptSockfamily
	ptBool
	ptIpv4addr
	ptDyn
	ptFlags8
	ptFlags16
	ptFlags32
	ptUid
	ptGid
	ptDouble
	ptSigset
	ptCharbufarray
	ptCharbufPairArray
	ptIpv4net
	ptIpv6addr
	ptIpv6net
	ptIpaddr
	ptIpnet
	ptMode
	ptFsrelpath
	ptEnumflags8
	ptEnumflags16
	ptEnumflags32
	ptFd32
	ptPid32
)

// Event table flags kept from libs' ppm_event_flags.
const (
	efOld    uint8 = 1 << iota // EF_OLD_VERSION: no longer emitted by current drivers
	efUnused                   // EF_UNUSED: the exit half of an enter-only event
	efLarge                    // EF_LARGE_PAYLOAD: parameter lengths are u32, not u16
)

// evInfo describes one scap event id.
type evInfo struct {
	name   string
	flags  uint8
	params []paramDef
}

// paramDef is one parameter of an event id.
type paramDef struct {
	name string
	typ  ptType
}

// Layout helpers for scap event ids: even ids are enter events, odd ids exit events.
func isEnter(id uint16) bool { return id&1 == 0 }

// lookupEv returns the table entry of id, or nil for an id newer than the table.
func lookupEv(id uint16) *evInfo {
	if int(id) < len(evTable) {
		return &evTable[id]
	}
	return nil
}

// enterOnly reports whether id is an enter event without an exit (procexit, container,
// switch, notification, ...): its exit id is flagged unused.
func enterOnly(id uint16) bool {
	if !isEnter(id) {
		return false
	}
	x := lookupEv(id + 1)
	return x == nil || x.flags&efUnused != 0
}

// fixedSize returns the byte size of a fixed-size parameter type, or 0 for variable ones.
func (t ptType) fixedSize() int {
	switch t {
	case ptInt8, ptUint8, ptSigtype, ptL4proto, ptSockfamily, ptFlags8, ptEnumflags8:
		return 1
	case ptInt16, ptUint16, ptSyscallid, ptPort, ptFlags16, ptEnumflags16:
		return 2
	case ptInt32, ptUint32, ptBool, ptIpv4addr, ptFlags32, ptUid, ptGid, ptSigset, ptMode,
		ptEnumflags32, ptFd32, ptPid32:
		return 4
	case ptInt64, ptUint64, ptErrno, ptFd, ptPid, ptReltime, ptAbstime, ptDouble:
		return 8
	}
	return 0
}

// signed reports whether a fixed-size integer of type t is signed.
func (t ptType) signed() bool {
	switch t {
	case ptInt8, ptInt16, ptInt32, ptInt64, ptErrno, ptFd, ptPid, ptFd32, ptPid32:
		return true
	}
	return false
}
