package main

import "github.com/syscam/syscam/format/scap"

// capturesAmong returns the first of paths that is a sysdig/Falco capture, or "".
// info and verify work on what only syscam traces have (an index, checksums, a hash
// chain): given a capture, they say so and point to the commands that read it,
// rather than calling it damaged.
func capturesAmong(paths []string) string {
	for _, p := range paths {
		if scap.IsCapture(p) {
			return p
		}
	}
	return ""
}

const captureAdvice = "it is a sysdig/Falco .scap capture: 'inspect stats', 'events', 'tree' and 'rules' read it as it is, and 'inspect convert' turns it into a .syscam trace"
