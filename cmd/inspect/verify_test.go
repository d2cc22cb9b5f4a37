package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The verdict word is what a reader of the output acts on: only a file whose frames,
// chain or footer are bad may be called damaged.
func TestVerifyVerdictSaysWhatKindOfFailure(t *testing.T) {
	dir := t.TempDir()
	name := writeInfoTrace(t, dir)
	pub, _, _ := ed25519.GenerateKey(nil)
	keyFile := filepath.Join(dir, "team.pub")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(pub)), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0x10
	bad := filepath.Join(dir, "bad.syscam")
	if err := os.WriteFile(bad, flipped, 0o600); err != nil {
		t.Fatal(err)
	}
	appended := filepath.Join(dir, "appended.syscam")
	if err := os.WriteFile(appended, append(bytes.Clone(data), make([]byte, 45)...), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		want     string
		wantNone string
	}{
		{"an unsigned file checked with a key", []string{"--pubkey", keyFile, name}, ": NOT SIGNED: footer at offset", "DAMAGED"},
		{"a flipped bit", []string{bad}, ": DAMAGED: ", "NOT SIGNED"},
		{"bytes appended", []string{appended}, ": TRAILING DATA: 45 bytes at offset " + strconv.Itoa(len(data)) + ", after the trailer", "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(append([]string{"verify"}, tc.args...), &out, &out)
			var ee exitError
			if !errors.As(err, &ee) || ee != 1 {
				t.Errorf("error %v; want exit status 1", err)
			}
			if !strings.Contains(out.String(), tc.want) || strings.Contains(out.String(), tc.wantNone) {
				t.Errorf("verify says %q; want %q in it and not %q", out.String(), tc.want, tc.wantNone)
			}
		})
	}
}
