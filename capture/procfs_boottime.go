package capture

import "bytes"

// parseBtime finds the boot time in /proc/stat, in seconds since the Unix epoch:
//
//	cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0
//	...
//	btime 1764223712
//	processes 26442
func parseBtime(b []byte) (int64, error) {
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		rest, ok := bytes.CutPrefix(line, []byte("btime "))
		if !ok {
			continue
		}
		v, ok := parseDec(bytes.TrimSpace(rest), 40)
		if !ok {
			return 0, badField(n, "btime", "bad value %q", clip(rest))
		}
		return int64(v), nil
	}
	return 0, badField(0, "btime", "missing")
}
