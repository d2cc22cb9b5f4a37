package report

import (
	"testing"

	"github.com/syscam/syscam/format"
)

// namedHeader is the part of a File that hostKey reads.
type namedHeader struct {
	File
	name string
	hdr  format.Header
}

func (n namedHeader) Name() string          { return n.name }
func (n namedHeader) Header() format.Header { return n.hdr }

// host_id is never empty (docs/EXPORT.md): the machine id, else the boot id, else the
// file name; a capture converted from .scap has a host name and no ids.
func TestHostKeyNeverGivesAnEmptyID(t *testing.T) {
	for _, tc := range []struct {
		name, file      string
		host            format.Host
		wantKey, wantID string
	}{
		{"machine id", "a.syscam", format.Host{MachineID: "m1", BootID: "b1", Hostname: "web1"}, "m:m1", "m1"},
		{"boot id", "a.syscam", format.Host{BootID: "b1", Hostname: "web1"}, "h:web1", "b1"},
		{"host name only", "conv.syscam", format.Host{Hostname: "ip-10-0-0-79"}, "h:ip-10-0-0-79", "conv.syscam"},
		{"nothing", "x.syscam", format.Host{}, "f:x.syscam", "x.syscam"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, id := hostKey(namedHeader{name: tc.file, hdr: format.Header{Host: tc.host}})
			if key != tc.wantKey || id != tc.wantID {
				t.Errorf("hostKey = %q, %q; want %q, %q", key, id, tc.wantKey, tc.wantID)
			}
		})
	}
}
