package event

import (
	"bytes"
	"os"
	"testing"
)

func TestEventsDocIsGenerated(t *testing.T) {
	got, err := os.ReadFile("../docs/EVENTS.md")
	if err != nil {
		t.Fatalf("read docs/EVENTS.md: %v (run go generate ./event)", err)
	}
	if !bytes.Equal(got, Markdown()) {
		t.Error("docs/EVENTS.md is out of date with the event table: run go generate ./event")
	}
}
