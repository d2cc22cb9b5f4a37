package event

import "testing"

func TestErrnoName(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{2, "ENOENT"}, {13, "EACCES"}, {115, "EINPROGRESS"}, {133, "EHWPOISON"},
		{41, "E41"}, // no name in Linux's table
		{512, "ERESTARTSYS"}, {0, "E0"}, {9999, "E9999"},
	} {
		if got := ErrnoName(tt.n); got != tt.want {
			t.Errorf("ErrnoName(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
