package main

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

// What inspect says when it is not given a command, or cannot do what it is asked
// where it runs: tests run without a terminal, as inspect does in a pipe.
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
