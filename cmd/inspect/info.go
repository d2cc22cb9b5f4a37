package main

import (
	"errors"
	"io"
)

func runInfo(args []string, stdout, stderr io.Writer) error {
	return errors.New("info: not built yet")
}
