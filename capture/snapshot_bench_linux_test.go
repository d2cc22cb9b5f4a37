package capture

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// BenchmarkSnapshotLive snapshots this machine's /proc: as it is, and with extra
// processes that each hold a few files and a TCP connection, to show how the cost grows
// with the host.
func BenchmarkSnapshotLive(b *testing.B) {
	for _, extra := range []int{0, 1000} {
		b.Run(fmt.Sprintf("extra=%d", extra), func(b *testing.B) {
			stop := spawnHolders(b, extra)
			defer stop()
			boot, _ := BootTime()
			s := &Snapshotter{BootTime: boot}
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := s.Snapshot(1); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			st := s.Stats()
			b.ReportMetric(float64(st.Threads), "threads")
			b.ReportMetric(float64(st.FDs), "fds")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(st.Threads+st.FDs), "ns/(thread+fd)")
		})
	}
}

// cpuTime returns the CPU time (user and system) this process used so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports the CPU time per operation since start: on a shared machine it
// moves less than the wall time when other work competes for the cores.
func reportCPU(b *testing.B, start int64) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// spawnHolders starts n shell processes, each with a TCP connection to a listener of
// this process on its stdin and a file on fd 3, and returns a function that ends them.
func spawnHolders(b *testing.B, n int) func() {
	if n == 0 {
		return func() {}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	var cmds []*exec.Cmd
	for range n {
		conn, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		f, _ := conn.(*net.TCPConn).File()
		conn.Close()
		cmd := exec.Command("/bin/sh", "-c", "exec sleep 600 3</etc/passwd")
		cmd.Stdin = f
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		cmds = append(cmds, cmd)
	}
	return func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
		ln.Close()
	}
}

func BenchmarkSnapshotFakeTree(b *testing.B) {
	s := &Snapshotter{ProcRoot: "testdata/proc", EtcRoot: "testdata/etc", CgroupRoot: b.TempDir()}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := s.Snapshot(1); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkParseStatus(b *testing.B) {
	in, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := parseStatus(in); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

func BenchmarkParseStat(b *testing.B) {
	in, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := parseStat(in); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkParseNetTCP parses a table of 10,000 connections, a busy server's.
func BenchmarkParseNetTCP(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(tcpHeader)
	for i := range 10000 {
		fmt.Fprintf(&sb, "%4d: 0500000A:%04X 0900000A:C802 01 00000000:00000000 02:000A7B2C 00000000     0        0 %d 4 0000000000000000 20 4 30 10 -1\n", i, 1024+i, 100000+i)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if err := parseNetInet(strings.NewReader(in), protoTCP, false, make(sockTable)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
