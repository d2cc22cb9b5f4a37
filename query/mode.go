package query

import "github.com/syscam/syscam/event"

// chmodMode names the permission bits of the chmod family's mode parameter, in the
// order Falco's libs list them (driver/flags_table.c, chmod_mode): Falco gives that
// parameter the type PT_MODE, so evt.arg.mode of a chmod reads
// "S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR" for 0755, and rules test
// it with "contains S_ISUID". The mode of open, openat and creat stays octal, as
// Falco prints it (a plain number, PF_OCT).
var chmodMode = &event.FlagSet{Name: "chmod_mode", Items: []event.FlagItem{
	{Name: "S_IXOTH", Value: 0o1}, {Name: "S_IWOTH", Value: 0o2}, {Name: "S_IROTH", Value: 0o4},
	{Name: "S_IXGRP", Value: 0o10}, {Name: "S_IWGRP", Value: 0o20}, {Name: "S_IRGRP", Value: 0o40},
	{Name: "S_IXUSR", Value: 0o100}, {Name: "S_IWUSR", Value: 0o200}, {Name: "S_IRUSR", Value: 0o400},
	{Name: "S_ISVTX", Value: 0o1000}, {Name: "S_ISGID", Value: 0o2000}, {Name: "S_ISUID", Value: 0o4000},
}}

// modeNames reports whether event type t's mode parameter renders as chmodMode names.
func modeNames(t event.Type) bool {
	return int(t) < len(evtTab.chmodMode) && evtTab.chmodMode[t]
}

// appendChmodMode appends a chmod mode as Falco renders it: the names of its set bits,
// or 0 when none is set. Bits outside 07777 (the file type, which chmod ignores)
// are left out, as Falco leaves them out.
func appendChmodMode(dst []byte, mode uint64) []byte {
	return chmodMode.Append(dst, mode&0o7777)
}
