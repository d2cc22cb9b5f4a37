package query

import "testing"

// TestFilterNeedsWhatItsFieldsRead checks the replay a filter asks for: a scan
// builds only that, so a field that reads more than it declares finds nothing.
func TestFilterNeedsWhatItsFieldsRead(t *testing.T) {
	for _, tc := range []struct {
		filter string
		want   Need
	}{
		{"evt.type = execve", NeedEvent},
		{"host.name = web1 and host.id = 0a1b2c3d", NeedEvent},
		{"proc.name = bash", NeedProcess},
		{"fd.name startswith /etc/", NeedFD},
		{"proc.is_exe_from_memfd = true", NeedProcess | NeedFD},
		{"evt.type = execve and proc.is_exe_from_memfd = true", NeedProcess | NeedFD},
	} {
		f, err := Compile(tc.filter, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		if got := f.Needs(); got&tc.want != tc.want || (tc.want == NeedEvent && got != NeedEvent) {
			t.Errorf("%s: needs %b, want at least %b", tc.filter, got, tc.want)
		}
	}
}
