package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/syscam/syscam/tui"
)

const tuiHelp = `
Usage: inspect tui [flags] FILE...

Opens the traces in an interactive terminal UI: the process tree, each process's
events, files, connections, children and environment, every field of an event with
its buffers as text and hex, the reassembled I/O of an fd, the alerts of the rules
(syscam's default set, or the -r files), and a histogram of activity over time whose
selected range narrows every view. 'f' takes a filter in the language of
'inspect events -f', checked as you type; '?' lists every key. 'inspect FILE' with
no command opens the UI too when the output is a terminal.

Examples:
  inspect tui testdata/incident.syscam
  inspect tui -r default -r local_rules.yaml /evidence/host1/
`

func runTUI(args []string, stdout, stderr io.Writer) error {
	var o rulesOptions
	fs := newFlagSet("tui", tuiHelp, stdout)
	fs.Var(&o.files, "r", "rules `FILE` for the alerts view (repeatable; \"default\" is syscam's own set); without -r the default set runs")
	fs.BoolVar(&o.skipUnknown, "skip-unknown", false, "drop rules that use fields syscam does not know, with a warning")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("tui: no trace file given")
	}
	eng, err := loadRules(o, stderr)
	if err != nil {
		return fmt.Errorf("tui: %w", withContext(err))
	}
	if err := tui.Run(fs.Args(), eng, os.Stdin, stdout); err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}
