// Command mkdocs writes docs/EVENTS.md from the event table, so that the documentation
// of every event type and parameter is the table itself.
//
//	go run ./event/internal/mkdocs -o docs/EVENTS.md
package main

import (
	"flag"
	"log"
	"os"

	"github.com/syscam/syscam/event"
)

func main() {
	out := flag.String("o", "docs/EVENTS.md", "output file")
	flag.Parse()
	if err := os.WriteFile(*out, event.Markdown(), 0o644); err != nil {
		log.Fatal(err)
	}
}
