package capture

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dirent encodes a struct linux_dirent64 record, padded to 8 bytes as the kernel does.
func dirent(name string) []byte {
	n := (19 + len(name) + 1 + 7) &^ 7
	b := make([]byte, n)
	binary.NativeEndian.PutUint64(b, 1)
	binary.NativeEndian.PutUint16(b[16:], uint16(n))
	b[18] = 4
	copy(b[19:], name)
	return b
}

func TestAppendDirentIDsKeepsNumericNames(t *testing.T) {
	var b []byte
	for _, name := range []string{".", "..", "1", "self", "4194304", "12a", "2147483648", "77"} {
		b = append(b, dirent(name)...)
	}
	got := appendDirentIDs(nil, b)
	if diff := cmp.Diff([]int32{1, 4194304, 77}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	// A record claiming more bytes than there are ends the decoding.
	bad := dirent("5")
	binary.NativeEndian.PutUint16(bad[16:], 200)
	if got := appendDirentIDs(nil, bad); len(got) != 0 {
		t.Errorf("ids from a record past the buffer: %v", got)
	}
}

func FuzzAppendDirentIDs(f *testing.F) {
	f.Add(append(dirent("1"), dirent("self")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, id := range appendDirentIDs(nil, b) {
			if id < 0 {
				t.Errorf("negative id %d", id)
			}
		}
	})
}
