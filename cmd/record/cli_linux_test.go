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
		// Values that a typo turns into something else (QA): no limit, one file per event,
		// a verifier log, payloads kept when none were asked for.
		{"a negative duration", []string{"-o", out, "--duration", "-1s"}, "take a positive duration"},
		{"a negative checkpoint interval", []string{"-o", out, "--checkpoint", "-1s"}, "take a positive duration"},
		{"a negative rotation count", []string{"-o", out, "--rotate-size", "10M", "--rotate-count", "-1"}, "--rotate-count -1"},
		{"a rotation size of a few bytes", []string{"-o", out, "--rotate-size", "1"}, "--rotate-size 1: the smallest is 1M"},
		{"a rotation time under a second", []string{"-o", out, "--rotate-time", "10ms"}, "--rotate-time 10ms: the shortest is 100ms"},
		{"a ring past a gigabyte", []string{"-o", out, "--ring-size", "4G"}, "--ring-size 4G: the largest is 1G"},
		{"a snaplen of 0", []string{"-o", out, "--snaplen", "0"}, "--snaplen 0: payloads cannot be turned off"},
		{"nothing after --", []string{"-o", out, "--"}, "nothing after --"},
		{"excluding the process lifecycle", []string{"-o", out, "--exclude-syscalls", "futex,procexit"}, "cannot drop procfork or procexit"},
		{"a command that does not exist", []string{"-o", out, "--", "/nonexistent/cmd"}, "command /nonexistent/cmd"},
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

// An existing file is never overwritten without --force, nor written through a link
// (the recorder runs as root, often in a shared /tmp); with --force the new trace is
// created anew with mode 0600, not with the old file's mode.
func TestRecordProtectsAnExistingOutput(t *testing.T) {
	dir := t.TempDir()
	precious := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(precious, []byte("evidence\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.syscam")
	if err := os.Symlink(precious, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an existing file", []string{"-o", precious, "--duration", "1s"}, "exists; use --force to overwrite it"},
		{"a symlink", []string{"-o", link, "--duration", "1s"}, "is a symlink"},
		{"a symlink, even with --force", []string{"-o", link, "--force", "--duration", "1s"}, "is a symlink"},
		{"a directory", []string{"-o", dir, "--duration", "1s"}, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(tc.args, &stderr, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("record %v: %v; want an error with %q", tc.args, err, tc.want)
			}
			if b, _ := os.ReadFile(precious); string(b) != "evidence\n" {
				t.Fatalf("the existing file was changed: %q", b)
			}
		})
	}
	t.Run("--force makes a new 0600 trace", func(t *testing.T) {
		requireRecorder(t)
		var stderr bytes.Buffer
		if err := run([]string{"-o", precious, "--force", "--quiet", "--", "true"}, &stderr, &stderr); err != nil {
			t.Fatalf("record --force: %v\n%s", err, stderr.String())
		}
		st, err := os.Stat(precious)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("the new trace: %v, mode %v; want mode 0600", err, st.Mode())
		}
		if b, _ := os.ReadFile(precious); !bytes.HasPrefix(b, []byte("SYSCAM")) {
			t.Errorf("the file is not a trace: %q", b[:min(len(b), 16)])
		}
	})
}
