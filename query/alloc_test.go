package query

import "testing"

// TestNoAllocationPerEvent checks that evaluating a filter and formatting a line
// allocate nothing once the Input's buffers have grown.
func TestNoAllocationPerEvent(t *testing.T) {
	s := newScenario(t)
	f, err := Compile(typical10+" or proc.aname in (sshd) or fd.sip in (10.0.0.0/8) or evt.buffer icontains ok or fs.path.name glob '/home/*'", Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := NewFormatter(DefaultFormat+" %proc.cmdline %evt.datetime %proc.aname %fd.ip %thread.cap_effective %fs.path.name %user.name %proc.env %proc.env[HOME] %evt.args", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"open", "read", "failed open", "getpid", "rename", "enter"} {
		in := s.input(t, key, false)
		var line []byte
		line = out.AppendText(line, in) // grow the buffers
		f.Match(in)
		if n := testing.AllocsPerRun(100, func() { f.Match(in) }); n != 0 {
			t.Errorf("%s: Match allocates %.1f times", key, n)
		}
		if n := testing.AllocsPerRun(100, func() { line = out.AppendText(line[:0], in) }); n != 0 {
			t.Errorf("%s: AppendText allocates %.1f times", key, n)
		}
		line = out.AppendJSON(line[:0], in)
		if n := testing.AllocsPerRun(100, func() { line = out.AppendJSON(line[:0], in) }); n != 0 {
			t.Errorf("%s: AppendJSON allocates %.1f times", key, n)
		}
	}
}
