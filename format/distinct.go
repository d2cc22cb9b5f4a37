package format

import "os"

// DistinctFiles returns names without those that refer to a file named earlier: the
// same file given twice, by name and through its directory, or through a link. A set
// of traces is a union of files; reading one twice would count its events twice and
// number the timeline wrongly. Names that cannot be examined are kept, for the open
// that follows to report.
func DistinctFiles(names []string) []string {
	out := names[:0:0]
	var seen []os.FileInfo
next:
	for _, n := range names {
		st, err := os.Stat(n)
		if err == nil {
			for _, s := range seen {
				if os.SameFile(s, st) {
					continue next
				}
			}
			seen = append(seen, st)
		}
		out = append(out, n)
	}
	return out
}
