package main

import (
	"fmt"
	"os"
)

// refuseOverwrite returns an error when out names the same file as one of inputs
// (directly, through a symlink or as a hard link): opening it for writing would
// truncate the evidence before it is read. Paths that do not exist cannot collide;
// the command reports them itself when it opens them.
func refuseOverwrite(cmd, out string, inputs []string) error {
	ost, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		ist, err := os.Stat(in)
		if err == nil && os.SameFile(ost, ist) {
			return fmt.Errorf("%s: output %s is the input %s; refusing to overwrite it", cmd, out, in)
		}
	}
	return nil
}
