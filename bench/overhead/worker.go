package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// worker runs one workload on parallel locked threads for a duration and prints
// "ops TOTAL ELAPSED_NS". With RATE (operations per second, all threads together) the
// threads sleep whenever they are ahead of it.
func worker(args []string) int {
	if len(args) != 3 && len(args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: overhead worker NAME DURATION PARALLEL [RATE]")
		return 2
	}
	d, err1 := time.ParseDuration(args[1])
	p, err2 := strconv.Atoi(args[2])
	rate, err3 := 0.0, error(nil)
	if len(args) == 4 {
		rate, err3 = strconv.ParseFloat(args[3], 64)
	}
	loop := loops[args[0]]
	if err1 != nil || err2 != nil || err3 != nil || loop == nil || p < 1 {
		fmt.Fprintln(os.Stderr, "bad worker arguments", args)
		return 2
	}
	// Whatever GOMAXPROCS the recorder under test was given, its workload uses every CPU.
	runtime.GOMAXPROCS(runtime.NumCPU())
	var total atomic.Uint64
	var wg sync.WaitGroup
	start := time.Now()
	pc := pace{start: start, deadline: start.Add(d), rate: rate / float64(p)}
	for range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			total.Add(loop(pc))
		}()
	}
	wg.Wait()
	fmt.Printf("ops %d %d\n", total.Load(), time.Since(start).Nanoseconds())
	return 0
}

// Each loop runs until the deadline (checked every 256 operations) and returns its
// operation count.
var loops = map[string]func(pace) uint64{
	"getppid":  loopGetppid,
	"read":     loopRead,
	"openat":   loopOpenat,
	"close":    loopClose,
	"forkexec": loopForkExec,
	"tcp":      loopTCP,
}

// pace is when a loop stops and, when rate is not 0, the operations per second one
// thread keeps to.
type pace struct {
	start, deadline time.Time
	rate            float64
}

func until(pc pace, op func()) uint64 {
	n := uint64(0)
	for {
		for range 256 {
			op()
		}
		n += 256
		now := time.Now()
		if now.After(pc.deadline) {
			return n
		}
		if pc.rate > 0 {
			if ahead := pc.start.Add(time.Duration(float64(n) / pc.rate * 1e9)).Sub(now); ahead > 0 {
				time.Sleep(ahead)
			}
		}
	}
}

func loopGetppid(pc pace) uint64 {
	return until(pc, func() { syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0) })
}

func loopRead(pc pace) uint64 {
	fd, err := unix.Open("/dev/zero", unix.O_RDONLY, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	buf := make([]byte, 4096)
	p := uintptr(unsafe.Pointer(&buf[0]))
	return until(pc, func() { syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), p, 4096) })
}

func loopOpenat(pc pace) uint64 {
	path, _ := syscall.BytePtrFromString("/etc/hostname")
	p := uintptr(unsafe.Pointer(path))
	return until(pc, func() {
		fd, _, _ := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(unix.AT_FDCWD&0xffffffff), p, unix.O_RDONLY, 0, 0, 0)
		syscall.RawSyscall(syscall.SYS_CLOSE, fd, 0, 0)
	})
}

// loopClose closes an fd that is not open (EBADF): the recorder's work for a close is
// the same as for a real one (the fd argument), so "openat" minus "close" isolates
// the openat.
func loopClose(pc pace) uint64 {
	return until(pc, func() { syscall.RawSyscall(syscall.SYS_CLOSE, 1<<20, 0, 0) })
}

func loopForkExec(pc pace) uint64 {
	n := uint64(0)
	for time.Now().Before(pc.deadline) {
		exec.Command("/bin/true").Run()
		n++
	}
	return n
}

// loopTCP runs a request/response pair over loopback with blocking sockets: a server
// thread echoes 64 bytes, the client sends and waits.
func loopTCP(pc pace) uint64 {
	ln, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(ln)
	unix.Bind(ln, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	unix.Listen(ln, 1)
	sa, _ := unix.Getsockname(ln)
	go func() {
		runtime.LockOSThread()
		c, _, err := unix.Accept(ln)
		if err != nil {
			return
		}
		defer unix.Close(c)
		buf := make([]byte, 64)
		for {
			if n, _ := unix.Read(c, buf); n <= 0 {
				return
			}
			unix.Write(c, buf)
		}
	}()
	c, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	defer unix.Close(c)
	if err := unix.Connect(c, sa); err != nil {
		return 0
	}
	unix.SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	buf := make([]byte, 64)
	n := uint64(0)
	for time.Now().Before(pc.deadline) {
		unix.Write(c, buf)
		unix.Read(c, buf)
		n++
	}
	return n
}
