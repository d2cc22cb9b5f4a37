package format

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDistinctFilesDropsRepeatsOfOneFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.syscam"), filepath.Join(dir, "b.syscam")
	for _, n := range []string{a, b} {
		if err := os.WriteFile(n, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.syscam")
	if err := os.Symlink(a, link); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.syscam")
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"distinct", []string{a, b}, []string{a, b}},
		{"same name twice", []string{a, b, a}, []string{a, b}},
		{"another spelling", []string{a, filepath.Join(dir, ".", "a.syscam")}, []string{a}},
		{"a link to a file given", []string{link, a}, []string{link}},
		{"missing names are kept for open to report", []string{missing, missing}, []string{missing, missing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DistinctFiles(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("DistinctFiles(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}

// The same file twice, by name and through its directory, reads as one.
func TestSetReadsAFileGivenTwiceOnce(t *testing.T) {
	dir := t.TempDir()
	data := writeTrace(t, synthEvents(3, 50), WriterOptions{BlockEvents: 20})
	name := filepath.Join(dir, "t.syscam")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenSet(name, dir, name)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.Count(); n != 50 || len(s.Readers()) != 1 {
		t.Errorf("set of one file given three times: %d events in %d readers; want 50 in 1", n, len(s.Readers()))
	}
}
