// Command inspect analyses syscam trace files (and sysdig/Falco .scap captures) offline,
// on any operating system, without privileges.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/syscam/syscam/internal/progress"
)

// command is one subcommand of inspect. run gets the arguments after the subcommand's
// name and returns an error to report; an exitError carries a status without a message.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order the usage shows them.
func commands() []command {
	return []command{
		{"info", "header, host, time range, counts by type, drops, blocks, size", runInfo},
		{"verify", "check every block, checksum and the hash chain; exit 1 on damage", runVerify},
		{"convert", "convert a sysdig/Falco .scap capture into a syscam trace", runConvert},
		{"events", "print events like sysdig -r: filter (-f), format (-p), --json, --from/--to", runEvents},
		{"fields", "every filter and output field, with its type and description", runFields},
		{"tree", "the process forest: whole capture, one subtree (--pid), or at an instant (--at)", runTree},
		{"ps", "the processes alive at an instant (--at TIME)", runPs},
		{"fds", "the open fds of a process (--pid N) at an instant", runFds},
		{"rules", "run Falco-style rules (default: syscam's own) and print alerts", runRules},
		{"stats", "top processes, files, connections, syscalls, errors; drops (--json, --top N)", runStats},
		{"timeline", "forensic timeline of security-relevant actions (--format text|csv|jsonl)", runTimeline},
		{"follow", "reassemble the I/O of an fd, connection or file (--fd, --conn, --file)", runFollow},
		{"export", "every event with its process and fd as JSON lines, CSV or Parquet", runExport},
		{"tui", "interactive terminal UI: process tree, events, fd follow, alerts, histogram", runTUI},
	}
}

// exitError ends inspect with a status and no further message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	// inspect's heap is the replayed state, small and long-lived, while every event
	// makes short-lived garbage in the decoders: a higher GC target cut replay CPU by a
	// third in the state benchmarks, for a heap that stays in the tens of MB.
	debug.SetGCPercent(400)
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(int(ee))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	default:
		fmt.Fprintln(os.Stderr, "inspect:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 2 && args[0] == "help" { // inspect help COMMAND
		args = []string{args[1], "--help"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	if _, err := os.Stat(args[0]); err == nil {
		// 'inspect FILE...' on a terminal opens the UI.
		if progress.IsTerminal(stdout) {
			return runTUI(args, stdout, stderr)
		}
		return fmt.Errorf("%q is a file, not a command: 'inspect FILE' opens the terminal UI only on a terminal; run 'inspect help' for the commands (events, timeline, ... print to a pipe)", args[0])
	}
	return fmt.Errorf("unknown command %q; run 'inspect help' for the list", args[0])
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`inspect reads syscam traces (.syscam, a rotated set, a directory) and sysdig/Falco
captures (.scap, .scap.gz) and answers what happened on the host.

Usage:
  inspect COMMAND [flags] FILE...

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Examples:
  inspect info testdata/incident.syscam
  inspect verify --pubkey team.pub /evidence/host1/

Run 'inspect COMMAND --help' for a command's flags and examples.
`)
	io.WriteString(w, b.String())
}

// newFlagSet returns a flag set whose --help prints the command's usage text and its
// flags to stdout.
func newFlagSet(name, text string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprint(stdout, strings.TrimLeft(text, "\n"))
		fmt.Fprintln(stdout, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}
