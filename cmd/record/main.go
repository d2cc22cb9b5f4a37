// Command record captures what a Linux host does, at the syscall level, into a .syscam
// trace file: the whole host, or one command's process tree. See `record --help`.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

// exitError ends record with a status and no further message: the recorded command's
// exit status.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(int(ee))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	default:
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(2)
	}
}
