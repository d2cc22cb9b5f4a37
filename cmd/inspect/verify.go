package main

import (
	"errors"
	"io"
)

func runVerify(args []string, stdout, stderr io.Writer) error {
	return errors.New("verify: not built yet")
}
