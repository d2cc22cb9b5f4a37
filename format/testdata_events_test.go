package format

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/syscam/syscam/event"
)

// eventLines renders evs one string each, as the golden lists of the kept files hold
// them. Very long events (the generator's long-string edge cases) keep their start
// and a digest, so the lists stay small enough to read.
func eventLines(evs []*event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		s := e.String()
		if len(s) > 1024 {
			sum := sha256.Sum256([]byte(s))
			s = s[:200] + " … sha256:" + hex.EncodeToString(sum[:])
		}
		out[i] = s
	}
	return out
}

// The lists hold one Go-quoted string per line: events carry arbitrary bytes.
func readEventLines(name string) ([]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		s, err := strconv.Unquote(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		lines = append(lines, s)
	}
	return lines, sc.Err()
}

func writeEventLines(name string, lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strconv.Quote(l))
		b.WriteByte('\n')
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}

func eventsFile(syscam string) string { return strings.TrimSuffix(syscam, ".syscam") + ".events.txt" }
