// Command mkfields writes docs/FIELDS.md from the query package's field registry. Run
// it with go generate ./query/.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/syscam/syscam/query"
)

func main() {
	out := flag.String("o", "docs/FIELDS.md", "output `file`")
	flag.Parse()
	var b bytes.Buffer
	query.WriteFieldsMarkdown(&b, query.Builtin())
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkfields:", err)
		os.Exit(1)
	}
}
