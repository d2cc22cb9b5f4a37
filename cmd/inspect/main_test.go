package main

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

// What inspect says when it is not given a command, is given contradictory flags, or
// cannot do what it is asked where it runs (tests run without a terminal, as in a pipe).
func TestRunExplainsItsEntryPoints(t *testing.T) {
	trace := filepath.Join("..", "..", "testdata", "incident.syscam")
	for _, tc := range []struct {
		name      string
		args      []string
		wantOut   string // in stdout
		wantErr   string // in the error; "" for none
		errIsHelp bool
	}{
		{"help COMMAND is that command's help", []string{"help", "events"}, "Usage: inspect events", "", true},
		{"help of an unknown command", []string{"help", "bogus"}, "", `unknown command "bogus"`, false},
		{"a file without a command, not on a terminal", []string{trace}, "", "is a file, not a command", false},
		{"tui without a terminal", []string{"tui", trace}, "", "needs a terminal", false},
		{"-f twice (it kept only the last)", []string{"events", "-f", "evt.type=openat", "-f", "proc.name=bash", trace}, "", "given twice", false},
		{"-f twice on rules", []string{"rules", "-f", "proc.name=sh", "-f", "proc.name=bash", trace}, "", "given twice", false},
		{"-f twice on stats", []string{"stats", "-f", "proc.name=sh", "-f", "proc.name=bash", trace}, "", "given twice", false},
		{"--to before --from", []string{"events", "--from", "+8s", "--to", "+1s", trace}, "", "--to +1s (2026-11-27T10:01:06.149Z) is not after --from +8s", false},
		{"--to equal to --from on timeline", []string{"timeline", "--from", "+2s", "--to", "+2s", trace}, "", "is not after --from", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(tc.args, &out, &errb)
			switch {
			case tc.errIsHelp:
				if !errors.Is(err, flag.ErrHelp) {
					t.Errorf("error %v; want the help's", err)
				}
			case tc.wantErr == "":
				if err != nil {
					t.Errorf("error %v", err)
				}
			case err == nil || !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error %v; want one containing %q", err, tc.wantErr)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantOut, out.String())
			}
		})
	}
}
