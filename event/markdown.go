package event

import (
	"bytes"
	"fmt"
	"strings"
)

//go:generate go run ./internal/mkdocs -o ../docs/EVENTS.md
//go:generate go run ./internal/mksyscalls -o syscalls_x86_64.go

// Markdown renders the event table as the reference page docs/EVENTS.md.
func Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Event types\n\n")
	b.WriteString("Generated from the `event` package by `go generate ./event`; do not edit.\n\n")
	b.WriteString("Every event has a timestamp (wall clock, ns), tid, pid, cpu, type, return value and,\n")
	b.WriteString("where the recorder kept the sys_enter time, a latency. The parameters below follow.\n")
	b.WriteString("Syscalls not listed under *Decoded syscalls* are recorded in generic form: their raw\n")
	b.WriteString("arguments, named as the kernel's tracepoint metadata names them.\n\n")
	var decoded, generic, special []*Info
	for _, in := range All() {
		switch {
		case !in.IsSyscall():
			special = append(special, in)
		case in.Has(Generic):
			generic = append(generic, in)
		default:
			decoded = append(decoded, in)
		}
	}
	fmt.Fprintf(&b, "%d types: %d decoded syscalls, %d generic syscalls, %d other events.\n\n",
		len(All()), len(decoded), len(generic), len(special))
	b.WriteString("## Parameter kinds\n\n| kind | meaning |\n|---|---|\n")
	for k := KindInt; k < kindCount; k++ {
		fmt.Fprintf(&b, "| %s | %s |\n", k, kindDocs[k])
	}
	b.WriteString("\n## Decoded syscalls\n\n| type | nr | category | parameters |\n|---|---|---|---|\n")
	for _, in := range decoded {
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s |\n", in.Name, in.Syscall, in.Category, paramList(in))
	}
	b.WriteString("\n## Lifecycle, capture and state events\n\n| type | value | parameters | meaning |\n|---|---|---|---|\n")
	for _, in := range special {
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s |\n", in.Name, in.Type, paramList(in), in.Doc)
	}
	b.WriteString("\n## Generic syscalls\n\n| type | nr | raw arguments |\n|---|---|---|\n")
	for _, in := range generic {
		names := make([]string, len(in.Params))
		for i, p := range in.Params {
			names[i] = p.Name
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s |\n", in.Name, in.Syscall, strings.Join(names, ", "))
	}
	b.WriteString("\n## Flag sets\n\n")
	for _, fs := range flagSets() {
		names := make([]string, 0, len(fs.Low)+len(fs.Items))
		for _, it := range append(append([]FlagItem(nil), fs.Low...), fs.Items...) {
			names = append(names, it.Name)
		}
		kind := "bits"
		if fs.Enum {
			kind = "enum"
		}
		fmt.Fprintf(&b, "- `%s` (%s): %s\n", fs.Name, kind, strings.Join(names, ", "))
	}
	return b.Bytes()
}

func paramList(in *Info) string {
	if len(in.Params) == 0 {
		return "none"
	}
	parts := make([]string, len(in.Params))
	for i, p := range in.Params {
		k := p.Kind.String()
		if p.Set != nil {
			k += ":" + p.Set.Name
		}
		parts[i] = fmt.Sprintf("%s (%s)", p.Name, k)
	}
	return strings.Join(parts, ", ")
}

// flagSets returns every flag set a parameter uses, in first-use order.
func flagSets() []*FlagSet {
	seen := map[*FlagSet]bool{}
	var out []*FlagSet
	for _, in := range All() {
		for _, p := range in.Params {
			if p.Set != nil && !seen[p.Set] {
				seen[p.Set] = true
				out = append(out, p.Set)
			}
		}
	}
	return out
}

var kindDocs = [kindCount]string{
	KindInt:      "signed integer",
	KindUint:     "unsigned integer",
	KindHex:      "unsigned integer shown in hex (addresses, raw arguments)",
	KindFlags:    "bit set, shown as names joined by a vertical bar",
	KindEnum:     "one named value",
	KindFD:       "file descriptor (AT_FDCWD is -100)",
	KindPID:      "process or thread id",
	KindUID:      "user id",
	KindGID:      "group id",
	KindMode:     "file mode, shown in octal",
	KindSignal:   "signal number, shown by name",
	KindDuration: "nanoseconds",
	KindTime:     "wall-clock time, ns since the Unix epoch",
	KindPath:     "file system path as given by the caller",
	KindString:   "text that is not a path",
	KindBytes:    "I/O buffer cut to the snaplen; the original length is kept beside it",
	KindSockAddr: "socket address: inet, inet6, unix or raw",
	KindStrings:  "list of strings (argv, environment)",
	KindErrno:    "return value, negative errno on failure",
	KindDigest:   "a hash such as an executable's SHA-256, shown in hex",
}
