package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sharedCapture returns the path of a capture in ../shared/scap, or skips.
func sharedCapture(t *testing.T, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "scap", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared capture %s is absent: %v", name, err)
	}
	return p
}

func TestStateCommandsReadScapCaptures(t *testing.T) {
	capture := sharedCapture(t, "curl_google.scap")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"tree shows curl under bash", []string{"tree", "--pid", "3200", capture},
			[]string{"3200 bash", "17497 curl"}},
		{"ps at the start lists the capture's processes", []string{"ps", capture},
			[]string{"systemd"}},
		{"rules run over a capture", []string{"rules", capture},
			[]string{"42 rules"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(tt.args, &out, &errb); err != nil {
				t.Fatalf("inspect %s: %v\n%s", strings.Join(tt.args, " "), err, errb.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// info and verify need what only syscam traces have; given a capture they must say
// what it is and what reads it, not call it damaged.
func TestInfoAndVerifyNameACaptureForWhatItIs(t *testing.T) {
	capture := sharedCapture(t, "curl_google.scap")
	trace := filepath.Join("..", "..", "testdata", "incident.syscam")
	var out, errb bytes.Buffer
	err := run([]string{"verify", capture, trace}, &out, &errb)
	if code, ok := err.(exitError); !ok || code != 1 {
		t.Fatalf("verify of a capture and a trace: %v; want exit 1", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "NOT VERIFIABLE") || !strings.Contains(lines[0], "inspect convert") ||
		strings.Contains(lines[0], "DAMAGED") || !strings.Contains(lines[1], ": ok (") {
		t.Errorf("verify says:\n%s\nwant the capture called not verifiable (with advice), the trace ok", out.String())
	}
	err = run([]string{"info", capture}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), ".scap capture") || !strings.Contains(err.Error(), "inspect stats") {
		t.Errorf("info of a capture: %v; want an error that names it a capture and points to stats", err)
	}
}

// The login uid of a process must be unknown (-1) when the capture does not record
// it, not 0: curl_google.scap (PL_V5, EXECVE_16) has no loginuid at all, and curl ran
// as ubuntu; single_ipv6_conn.scap's PL_V9 entries record it as unset.
func TestScapLoginUIDUnknownWhenNotRecorded(t *testing.T) {
	tests := []struct {
		capture string
		want    string
	}{
		{"curl_google.scap", "curl 1000 -1 <NA>"},
		{"single_ipv6_conn.scap", "-1 <NA>"},
	}
	for _, tt := range tests {
		t.Run(tt.capture, func(t *testing.T) {
			args := []string{"events", "-p", "%proc.name %user.uid %user.loginuid %user.loginname", sharedCapture(t, tt.capture)}
			var out, errb bytes.Buffer
			if err := run(args, &out, &errb); err != nil {
				t.Fatalf("inspect %s: %v\n%s", strings.Join(args, " "), err, errb.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			for _, l := range lines {
				if !strings.HasSuffix(l, tt.want) {
					t.Fatalf("%d lines, one is %q; want every line to end in %q", len(lines), l, tt.want)
				}
			}
		})
	}
}

// A gzip capture cut short (a copy interrupted, a recorder killed) must be named a
// damaged capture, with the offset's stream and the cut said, not "not a syscam trace".
func TestTruncatedGzipCaptureIsNamedSo(t *testing.T) {
	whole, err := os.ReadFile(sharedCapture(t, "curl_google.scap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) < 2 || whole[0] != 0x1f || whole[1] != 0x8b {
		t.Fatal("curl_google.scap is no longer gzip: this test needs a gzip capture")
	}
	tests := []struct {
		name  string
		size  int
		where string
	}{
		{"cut before anything inflates", 100, "at offset 0 of the decompressed stream"},
		{"cut in the events", len(whole) / 2, " block at offset "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "cut.scap")
			if err := os.WriteFile(p, whole[:tt.size], 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			err := run([]string{"events", p}, &out, &errb)
			if err == nil {
				t.Fatal("events on a cut capture succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.where) || !strings.Contains(msg, "of the decompressed stream") ||
				!strings.Contains(msg, "the gzip stream is truncated") || strings.Contains(msg, "syscam trace") {
				t.Errorf("err = %q; want a truncated capture %q of the decompressed stream, the gzip stream truncated", msg, tt.where)
			}
		})
	}
}
