package scap

import (
	"fmt"
	"testing"

	"github.com/syscam/syscam/event"
)

func TestPPMFlagsBecomeLinuxValues(t *testing.T) {
	// PPM values from driver/ppm_events_public.h; Linux values from the x86_64 headers,
	// shown by name through syscam's own flag sets.
	tests := []struct {
		name string
		got  uint64
		set  *event.FlagSet
		want string
	}{
		{"open read-only is 0", openFlags(1), event.OpenFlags, "O_RDONLY"},
		{"open rdwr|creat|excl|cloexec", openFlags(3 | 1<<2 | 1<<5 | 1<<12), event.OpenFlags, "O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC"},
		{"open wronly|append|nonblock|directory", openFlags(2 | 1<<3 | 1<<6 | 1<<10), event.OpenFlags, "O_WRONLY|O_APPEND|O_NONBLOCK|O_DIRECTORY"},
		{"open F_CREATED has no Linux bit", openFlags(1 | 1<<14), event.OpenFlags, "O_RDONLY"},
		{"clone of a thread", cloneFlags(1<<15 | 1<<1 | 1<<0 | 1<<11 | 1<<13), event.CloneFlags, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD"},
		{"clone into new namespaces", cloneFlags(1<<6 | 1<<4 | 1<<20 | 1<<28), event.CloneFlags, "CLONE_NEWCGROUP|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET"},
		{"clone drops libsinsp-only bits", cloneFlags(1<<16 | 1<<17 | 1<<30), event.CloneFlags, "0"},
		{"mmap prot", convertBits(1|2|4, protBits), event.ProtFlags, "PROT_READ|PROT_WRITE|PROT_EXEC"},
		{"mmap flags", convertBits(1<<1|1<<3|1<<2, mmapBits), event.MmapFlags, "MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS"},
		{"fcntl F_SETFL", enumValue(fcntlCmds, 5), event.FcntlCmd, "F_SETFL"},
		{"fcntl F_DUPFD_CLOEXEC", enumValue(fcntlCmds, 26), event.FcntlCmd, "F_DUPFD_CLOEXEC"},
		{"ptrace attach", enumValue(ptraceReqs, 11), event.PtraceRequest, "PTRACE_ATTACH"},
		{"ptrace seize", enumValue(ptraceReqs, 20), event.PtraceRequest, "PTRACE_SEIZE"},
		{"sockopt level tcp", enumValue(sockoptLevels, 2), event.SockLevel, "SOL_TCP"},
		{"execveat AT_EMPTY_PATH", convertBits(1, execveatBits), event.AtFlags, "AT_EMPTY_PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.set.Append(nil, tt.got)); got != tt.want {
				t.Errorf("got %s (%#x), want %s", got, tt.got, tt.want)
			}
		})
	}
}

func TestEveryMappedTableEntryFitsItsSyscamType(t *testing.T) {
	// Every slot must point at a parameter of the syscam type the plan names, with a
	// conversion that suits the parameter's kind.
	for id, p := range plans {
		if p.kind == pkNone || p.kind == pkGeneric {
			continue
		}
		info := event.Lookup(p.typ)
		for i, s := range p.slots {
			if s.cv == cvSkip || s.cv == cvRet {
				continue
			}
			where := fmt.Sprintf("id %d (%s) param %d (%s) → %s", id, evTable[id].name, i, evTable[id].params[i].name, info.Name)
			if int(s.dst) >= len(info.Params) || s.dst < 0 {
				t.Errorf("%s: destination %d out of range", where, s.dst)
				continue
			}
			kind := info.Params[s.dst].Kind
			switch s.cv {
			case cvStr, cvBytes, cvSockaddr, cvTuple, cvTuplePeer, cvDynBytes:
				if !kind.IsBytes() {
					t.Errorf("%s: byte conversion into %s", where, kind)
				}
			default:
				if kind.IsBytes() {
					t.Errorf("%s: integer conversion into %s", where, kind)
				}
			}
		}
	}
}
