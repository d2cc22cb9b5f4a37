package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syscam/syscam/format"
)

func TestRecordEnvIsKeptOnlyWithTheFlag(t *testing.T) {
	requireRecorder(t)
	t.Setenv("SYSCAM_MARK", "secret-value")
	for _, tt := range []struct {
		name string
		args []string
		want bool
	}{
		{"without --env the environment is empty", nil, false},
		{"with --env the environment is recorded", []string{"--env"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, evs := recordNames(t, append(tt.args, "--", "/bin/true")...)
			found := false
			for _, e := range evs {
				if e.Name() == "execve" {
					found = strings.Contains(string(e.Bytes(e.Param("env"))), "SYSCAM_MARK=secret-value")
				}
			}
			if found != tt.want {
				t.Errorf("environment recorded: %v, want %v", found, tt.want)
			}
		})
	}
}

func TestRecordSignsTheFooterWithTheGivenKey(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	pub, priv, _ := ed25519.GenerateKey(nil)
	keyFile := filepath.Join(dir, "key.hex")
	os.WriteFile(keyFile, []byte(hex.EncodeToString(priv.Seed())+"\n"), 0o600)
	out := filepath.Join(dir, "signed.syscam")
	if err := run([]string{"-o", out, "--quiet", "--sign-key", keyFile, "--", "/bin/true"}, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
	rep, err := format.VerifyFile(out, format.VerifyOptions{PublicKey: pub})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || !rep.SigValid {
		t.Errorf("signed trace: ok=%v signature valid=%v problem=%+v", rep.OK(), rep.SigValid, rep.Problem)
	}
}

func TestRecordRotatesByTime(t *testing.T) {
	requireRecorder(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "rot.syscam")
	err := run([]string{"-o", out, "--quiet", "--rotate-time", "300ms", "--", "/bin/sh", "-c",
		"for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/hostname >/dev/null; sleep 0.1; done"}, os.Stdout, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "rot.*.syscam"))
	if len(files) < 2 {
		t.Fatalf("%d files after 1 s with --rotate-time 300ms: %v", len(files), files)
	}
	set, err := format.OpenSet(files...)
	if err != nil {
		t.Fatalf("open the rotated set: %v", err)
	}
	set.Close()
}
