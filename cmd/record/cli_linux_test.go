package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordRejectsBadInvocationsWithAClearError(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.syscam")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output file", []string{"--", "true"}, "no output file"},
		{"a snaplen over the maximum", []string{"-o", out, "--snaplen", "100000"}, "--snaplen 100000 is over the maximum 8192"},
		{"a zstd level out of range", []string{"-o", out, "--level", "9"}, "--level 9: want 1 to 4"},
		{"a rotation count without rotation", []string{"-o", out, "--rotate-count", "3"}, "--rotate-count needs --rotate-size or --rotate-time"},
		{"pids and a command", []string{"-o", out, "--pid", "1", "--", "true"}, "--pid and a command exclude each other"},
		{"a bad size", []string{"-o", out, "--ring-size", "12Q"}, `size "12Q"`},
		{"a pid that is no number", []string{"-o", out, "--pid", "abc"}, `--pid "abc": want a process id`},
		{"an output directory that cannot be written", []string{"-o", "/proc/x.syscam"}, "directory /proc is not writable"},
		{"an unknown syscall", []string{"-o", out, "--syscalls", "openat,frobnicate"}, `unknown syscall or event type "frobnicate"`},
		{"a ring size that is no power of two", []string{"-o", out, "--ring-size", "12K"}, "ring size 12288 is not a power of two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(tt.args, &stderr, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Errorf("record %v: %v (stderr %q), want an error with %q", tt.args, err, stderr.String(), tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a trace was created")
			}
		})
	}
}

func TestRecordWithoutBPFCapabilitiesSaysWhatIsMissing(t *testing.T) {
	requireRecorder(t)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("needs setpriv to drop capabilities")
	}
	out := filepath.Join(t.TempDir(), "x.syscam")
	cmd := exec.Command(setpriv, "--bounding-set=-sys_admin,-bpf,-perfmon", os.Args[0], "-o", out, "--", "true")
	cmd.Env = append(os.Environ(), "SYSCAM_TEST_CHILD=record")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "run as root, or with CAP_BPF and CAP_PERFMON") {
		t.Errorf("record without capabilities: %v, output %q", err, b)
	}
}

func TestRecordHelpTeachesWithExamples(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"--help"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "help") {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"record -o FILE [flags] -- CMD", "Examples:", "--rotate-size", "--exclude-syscalls", "CAP_BPF"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
