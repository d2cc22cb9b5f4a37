package event

// Type identifies an event type. Syscall types equal their x86_64 syscall number;
// the other types start at FirstSpecial. Type values are written into trace files:
// they are frozen, never renumbered.
type Type uint16

// NumSyscallTypes bounds the syscall type range [0, NumSyscallTypes).
const NumSyscallTypes = 512

// Category groups event types for reports and documentation.
type Category uint8

// Categories.
const (
	CatOther Category = iota
	CatFile
	CatIO
	CatNet
	CatProcess
	CatCred
	CatMemory
	CatIPC
	CatSignal
	CatSystem // modules, mounts, bpf, namespaces, time, reboot
	CatCapture
	CatState
	catCount
)

var catNames = [catCount]string{"other", "file", "io", "net", "process", "cred", "memory", "ipc", "signal", "system", "capture", "state"}

func (c Category) String() string {
	if c < catCount {
		return catNames[c]
	}
	return "other"
}

// Info flags describe what an event does to the state a replay keeps.
const (
	CreatesFD  uint16 = 1 << iota // the return value is a new fd
	ClosesFD                      // the fd parameter stops being valid
	UsesFD                        // parameter "fd" names the fd the call acts on
	ReadsData                     // returns data from the fd (evt.is_io_read)
	WritesData                    // sends data to the fd (evt.is_io_write)
	Generic                       // arguments recorded raw, not decoded
)

// Info describes an event type.
type Info struct {
	Type     Type
	Name     string // as Falco's evt.type: "openat", "execve", "procexit"
	Category Category
	Syscall  int // x86_64 syscall number, -1 for non-syscall events
	Flags    uint16
	Params   []ParamInfo
	Doc      string // one line for docs/EVENTS.md
}

// ParamInfo describes one positional parameter.
type ParamInfo struct {
	Name string
	Kind Kind
	Set  *FlagSet // names for KindFlags and KindEnum, else nil
}

// ParamIndex returns the index of the parameter named name, or -1.
func (in *Info) ParamIndex(name string) int {
	for i := range in.Params {
		if in.Params[i].Name == name {
			return i
		}
	}
	return -1
}

// ParamKind returns the kind of parameter i, or KindNone past the end.
func (in *Info) ParamKind(i int) Kind {
	if i < len(in.Params) {
		return in.Params[i].Kind
	}
	return KindNone
}

// IsSyscall reports whether the type is a syscall.
func (in *Info) IsSyscall() bool { return in.Syscall >= 0 }

// Has reports whether in has all the given flags.
func (in *Info) Has(flags uint16) bool { return in.Flags&flags == flags }

// Lookup returns the Info of t. Unknown types get a generic Info named "unknown(N)",
// so a trace written by a newer recorder still reads.
func Lookup(t Type) *Info {
	if int(t) < len(table.byType) {
		if in := table.byType[t]; in != nil {
			return in
		}
	}
	return &table.unknown
}

// Known reports whether t is a type of this version's table.
func Known(t Type) bool {
	return int(t) < len(table.byType) && table.byType[t] != nil
}

// ByName returns the type named name ("openat", "procexit").
func ByName(name string) (Type, bool) {
	t, ok := table.byName[name]
	return t, ok
}

// All returns every known Info in type order. The slice is shared: do not modify it.
func All() []*Info { return table.all }

// MaxType is one past the highest known type value.
func MaxType() Type { return Type(len(table.byType)) }

type syscallDef struct {
	nr   int
	name string
	args []string // nil: unknown to the kernel's tracepoint metadata
}

type typeTable struct {
	byType  []*Info
	byName  map[string]Type
	all     []*Info
	unknown Info
}

// table is built once from the static definitions and never changed after.
var table = buildTable()

func buildTable() *typeTable {
	t := &typeTable{
		byType:  make([]*Info, FirstSpecial+Type(len(specials))),
		byName:  make(map[string]Type),
		unknown: Info{Name: "unknown", Syscall: -1, Flags: Generic},
	}
	decoded := make(map[string]*Info, len(syscallSchemas))
	for i := range syscallSchemas {
		decoded[syscallSchemas[i].Name] = &syscallSchemas[i]
	}
	for _, d := range x86_64 {
		in := decoded[d.name]
		if in == nil {
			in = genericInfo(d)
		}
		in.Type, in.Syscall = Type(d.nr), d.nr
		t.add(in)
	}
	for i := range specials {
		in := &specials[i]
		in.Type, in.Syscall = FirstSpecial+Type(i), -1
		if in.Category == CatOther {
			in.Category = CatCapture
		}
		t.add(in)
	}
	return t
}

func (t *typeTable) add(in *Info) {
	t.byType[in.Type] = in
	t.byName[in.Name] = in.Type
	t.all = append(t.all, in)
}

var argNames = [6]string{"arg0", "arg1", "arg2", "arg3", "arg4", "arg5"}

func genericInfo(d syscallDef) *Info {
	in := &Info{Name: d.name, Flags: Generic, Category: CatOther, Doc: "generic: raw arguments"}
	names := d.args
	if names == nil {
		names = argNames[:]
	}
	for _, n := range names {
		in.Params = append(in.Params, ParamInfo{Name: n, Kind: KindHex})
	}
	return in
}
