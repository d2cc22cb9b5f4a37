//go:build !unix

package state

func cpuTime() int64 { return 0 }
