package rules

import (
	"bytes"
	"io"
	"regexp"

	"gopkg.in/yaml.v3"
)

// yamlLineRE is yaml.v3's "yaml: line N: " in front of a syntax error.
var yamlLineRE = regexp.MustCompile(`^yaml: line \d+: `)

// yamlSyntaxError places a YAML syntax error at our own line. yaml.v3's line is not
// the file's: for most parser errors it prints the 0-based line of the construct being
// read (a '[' never closed is reported on the line before it). So the line is found
// again here, as the first line at which the file, cut there, fails with the same
// error; yaml.v3's line is dropped only then, when a better one replaces it.
func yamlSyntaxError(name string, data []byte, err error) error {
	line := yamlErrorLine(data, err.Error())
	if line == 0 {
		return &Error{Pos: Pos{File: name}, Err: errorf("parse yaml: %w", err)}
	}
	return &Error{Pos: Pos{File: name, Line: line}, Err: errorf("parse yaml: %s", yamlLineRE.ReplaceAllString(err.Error(), ""))}
}

// yamlErrorLine returns the first line L such that data's first L lines fail to parse
// with the error want, or 0. Top-level items (lines starting with "- ") are whole
// YAML on their own, so a binary search over them finds the item at fault; only its
// lines are then tried one by one, which keeps a large file to a few dozen parses.
func yamlErrorLine(data []byte, want string) int {
	var ends []int // byte offset after each line
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	// cuts are the lines before which a top-level item starts, and the end.
	cuts := []int{0}
	for l := 1; l < len(ends); l++ {
		if rest := data[ends[l-1]:]; len(rest) > 1 && rest[0] == '-' && (rest[1] == ' ' || rest[1] == '\n') {
			cuts = append(cuts, l)
		}
	}
	cuts = append(cuts, len(ends))
	upTo := func(lines int) []byte {
		if lines == 0 {
			return nil
		}
		return data[:ends[lines-1]]
	}
	// The first cut whose prefix fails: the item at fault is the one before it.
	lo, hi := 0, len(cuts)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if yamlError(upTo(cuts[mid])) != "" {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	first := 0
	if lo > 0 {
		first = cuts[lo-1]
	}
	for l := first + 1; l <= cuts[lo]; l++ {
		if yamlError(upTo(l)) == want {
			return l
		}
	}
	return 0
}

// yamlError returns the first error decoding every document of data, or "".
func yamlError(data []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			return ""
		}
		if err != nil {
			return err.Error()
		}
	}
}
