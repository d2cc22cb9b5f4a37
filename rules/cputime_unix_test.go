//go:build unix

package rules

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used: on a machine
// shared with other work, events per CPU-second is the figure that stays put.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
