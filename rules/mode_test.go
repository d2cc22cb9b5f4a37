package rules

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/state/statetest"
)

// TestSetuidRuleReadsTheModeByBitName runs the default setuid rule over each call of
// the chmod family: the mode reads by bit name, as in Falco, so the rule fires on the
// setuid and setgid bits and on nothing else, and its output names the bits.
func TestSetuidRuleReadsTheModeByBitName(t *testing.T) {
	eng := defaultEngine(t, true)
	host, err := os.ReadFile("testdata/default/_host.txt")
	if err != nil {
		t.Fatal(err)
	}
	calls := []string{
		"1 600 chmod ret=0 path=/tmp/.sh mode=04755",
		"2 600 fchmod ret=0 fd=1 mode=02755",
		"3 600 fchmodat ret=0 dirfd=AT_FDCWD path=/tmp/x mode=06711",
		"4 600 fchmodat2 ret=0 dirfd=AT_FDCWD path=/tmp/y mode=04000 flags=0",
		"5 600 chmod ret=0 path=/tmp/run.sh mode=0755",
		"6 600 chmod ret=0 path=/tmp/shared mode=01777",
		"7 600 chmod ret=-1 path=/bin/sh mode=04755",
		"8 600 openat ret=3 dirfd=AT_FDCWD name=/tmp/z flags=O_WRONLY|O_CREAT mode=04755",
	}
	evs, err := statetest.Parse(string(host) + strings.Join(calls, "\n") + "\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	replayAlerts(eng, evs, "h", func(a Alert) {
		if a.Rule.Name == "Setuid or setgid bit set" {
			_, mode, _ := strings.Cut(a.Output, "mode=")
			mode, _, _ = strings.Cut(mode, " ")
			got = append(got, mode)
		}
	})
	want := []string{
		"S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID",
		"S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISGID",
		"S_IXOTH|S_IXGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISGID|S_ISUID",
		"S_ISUID",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("modes of the alerts (-want +got):\n%s", diff)
	}
}
