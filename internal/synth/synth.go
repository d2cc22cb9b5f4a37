package synth

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"

	"github.com/syscam/syscam/event"
)

// Options shape a stream. The zero value gives the default mix.
type Options struct {
	Seed  uint64
	Start int64 // time of the first event, ns (default 2026-11-27T06:00:00Z)
	// Rate is the mean number of events per second of event time (default 1e6).
	Rate float64
	// Threads is the number of threads (default 300), spread over Threads/3 processes.
	Threads int
	// Paths is the number of distinct file paths (default 400).
	Paths int
	// PayloadFraction of all events carry a PayloadSize-byte buffer (default 0.10, 64).
	PayloadFraction float64
	PayloadSize     int
	CPUs            int // default 8
}

func (o Options) withDefaults() Options {
	if o.Start == 0 {
		o.Start = 1795759200 * 1e9 // 2026-11-27T06:00:00Z
	}
	if o.Rate <= 0 {
		o.Rate = 1e6
	}
	if o.Threads <= 0 {
		o.Threads = 300
	}
	if o.Paths <= 0 {
		o.Paths = 400
	}
	if o.PayloadFraction == 0 {
		o.PayloadFraction = 0.10
	}
	if o.PayloadSize == 0 {
		o.PayloadSize = 64
	}
	if o.CPUs <= 0 {
		o.CPUs = 8
	}
	return o
}

// Gen produces events.
type Gen struct {
	o       Options
	rng     *rand.Rand
	now     int64
	threads []thread
	paths   [][]byte
	payload []byte
	mix     []kind
	cum     []float64
	onCPU   []*thread // the thread running on each CPU
	tzipf   *rand.Zipf
	pzipf   *rand.Zipf
	n       uint64
}

type thread struct {
	tid, pid int32
	cpu      uint16
	comm     string
	futex    uint64
}

type kind struct {
	name   string
	weight float64
	fill   func(g *Gen, e *event.Event, t *thread)
}

// New returns a generator for o.
func New(o Options) *Gen {
	o = o.withDefaults()
	g := &Gen{o: o, rng: rand.New(rand.NewPCG(o.Seed, 0x5ca1ab1e)), now: o.Start}
	g.tzipf = rand.NewZipf(g.rng, 1.2, 4, uint64(o.Threads-1))
	g.pzipf = rand.NewZipf(g.rng, 1.1, 2, uint64(o.Paths-1))
	g.onCPU = make([]*thread, o.CPUs)
	g.makeThreads()
	g.makePaths()
	g.payload = make([]byte, o.PayloadSize)
	g.mix = defaultMix()
	var sum float64
	for _, k := range g.mix {
		sum += k.weight
		g.cum = append(g.cum, sum)
	}
	for i := range g.cum {
		g.cum[i] /= sum
	}
	return g
}

var comms = []string{"nginx", "postgres", "java", "python3", "sshd", "containerd", "kubelet", "node", "redis-server", "bash"}

func (g *Gen) makeThreads() {
	procs := max(g.o.Threads/3, 1)
	pid := int32(1200)
	for i := 0; i < g.o.Threads; i++ {
		if i < procs {
			pid += int32(1 + g.rng.IntN(40))
			g.threads = append(g.threads, thread{tid: pid, pid: pid})
		} else {
			owner := g.threads[g.rng.IntN(procs)]
			g.threads = append(g.threads, thread{tid: pid + int32(1+i), pid: owner.pid})
		}
		t := &g.threads[i]
		t.cpu = uint16(g.rng.IntN(g.o.CPUs))
		t.comm = comms[int(t.pid)%len(comms)]
		t.futex = 0x7f0000000000 + uint64(g.rng.IntN(1<<20))*64
	}
}

var dirs = []string{"/etc/", "/usr/lib/x86_64-linux-gnu/", "/var/lib/postgresql/16/main/base/16384/", "/proc/self/", "/var/log/nginx/", "/srv/www/static/", "/tmp/", "/home/app/.cache/"}

func (g *Gen) makePaths() {
	for i := 0; i < g.o.Paths; i++ {
		d := dirs[g.rng.IntN(len(dirs))]
		g.paths = append(g.paths, []byte(d+"f"+strconv.Itoa(i)+[]string{".conf", ".so.6", "", ".log", ".json"}[i%5]))
	}
}

// Next fills e with the next event of the stream.
func (g *Gen) Next(e *event.Event) {
	e.Reset()
	g.n++
	g.now += int64(-math.Log(1-g.rng.Float64()) * 1e9 / g.o.Rate)
	t := g.thread()
	e.Time, e.TID, e.PID, e.CPU = g.now, t.tid, t.pid, t.cpu
	e.Latency = int64(-math.Log(1-g.rng.Float64()) * 1500)
	k := g.pick()
	typ, _ := event.ByName(k.name)
	e.Type = typ
	k.fill(g, e, t)
}

// thread picks the CPU of the next event, then its thread: the thread that last ran
// there, unless the scheduler switched (one time in eight) to another thread chosen
// with a skew, which then runs on that CPU.
func (g *Gen) thread() *thread {
	cpu := g.rng.IntN(g.o.CPUs)
	if cur := g.onCPU[cpu]; cur != nil && g.rng.IntN(8) != 0 {
		return cur
	}
	t := &g.threads[g.tzipf.Uint64()]
	if prev := g.onCPU[t.cpu]; prev == t {
		g.onCPU[t.cpu] = nil
	}
	t.cpu = uint16(cpu)
	g.onCPU[cpu] = t
	return t
}

func (g *Gen) pick() *kind {
	u := g.rng.Float64()
	for i, c := range g.cum {
		if u < c {
			return &g.mix[i]
		}
	}
	return &g.mix[len(g.mix)-1]
}

func (g *Gen) path() []byte { return g.paths[g.pzipf.Uint64()] }

func (g *Gen) fd() uint64 { return uint64(3 + g.rng.IntN(24)) }

// ioSize returns a read or write size: mostly small, some page multiples.
func (g *Gen) ioSize() int64 {
	switch g.rng.IntN(4) {
	case 0:
		return 4096 * int64(1+g.rng.IntN(4))
	case 1:
		return 0
	default:
		return int64(1 + g.rng.IntN(600))
	}
}

// withPayload reports whether this I/O event carries a buffer; I/O events are a share
// of the mix, so each carries one PayloadFraction/share of the time.
func (g *Gen) withPayload(share float64) bool {
	return g.rng.Float64() < g.o.PayloadFraction/share
}

func (g *Gen) fillPayload() []byte {
	for i := range g.payload {
		g.payload[i] = byte(32 + g.rng.IntN(95))
	}
	return g.payload
}

// ioShare is the weight of the I/O kinds (ioEvent, sockEvent) in defaultMix over the total.
const ioShare = 52 / 96.7

func ioEvent(share float64) func(g *Gen, e *event.Event, t *thread) {
	return func(g *Gen, e *event.Event, t *thread) {
		n := g.ioSize()
		pay := g.withPayload(share)
		if pay {
			n = max(n, int64(len(g.payload)))
		}
		e.Ret = n
		e.SetInt(0, g.fd())
		if pay {
			e.SetBytes(1, g.fillPayload(), uint32(n))
		} else {
			e.SetBytes(1, nil, 0)
		}
		e.SetInt(2, uint64(max(n, 4096)))
	}
}

func openEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, uint64(0xffffffffffffff9c)) // AT_FDCWD
	e.SetBytes(1, g.path(), 0)
	e.Params[1].Orig = uint32(len(e.Bytes(1)))
	e.SetInt(2, 0x80000)
	e.SetInt(3, 0)
	if g.rng.IntN(6) == 0 {
		e.Ret = -2
		return
	}
	e.Ret = int64(g.fd())
	e.SetInt(4, 0x803)
	e.SetInt(5, uint64(100000+g.pzipf.Uint64()))
}

func statEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, uint64(0xffffffffffffff9c))
	p := g.path()
	e.SetBytes(1, p, uint32(len(p)))
	e.SetInt(2, 0)
	if g.rng.IntN(4) == 0 {
		e.Ret = -2
	}
}

func closeEvent(g *Gen, e *event.Event, t *thread) { e.SetInt(0, g.fd()) }

func futexEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, t.futex)
	e.SetInt(1, 0x80|uint64(g.rng.IntN(2)))
	e.SetInt(2, 1)
	e.SetInt(3, 0)
	e.SetInt(4, 0)
	e.SetInt(5, 0)
	e.Latency *= 20
}

func epollEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, 5)
	e.SetInt(1, t.futex+4096)
	e.SetInt(2, 512)
	e.SetInt(3, 1000)
	e.Ret = int64(g.rng.IntN(4))
	e.Latency *= 100
}

func mmapEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, 0)
	e.SetInt(1, 4096*uint64(1+g.rng.IntN(64)))
	e.SetInt(2, 3)
	e.SetInt(3, 0x22)
	e.SetInt(4, uint64(0xffffffffffffffff))
	e.SetInt(5, 0)
	e.Ret = int64(0x7f0000000000 + uint64(g.rng.IntN(1<<24))*4096)
}

func sockEvent(share float64) func(g *Gen, e *event.Event, t *thread) {
	io := ioEvent(share)
	return func(g *Gen, e *event.Event, t *thread) {
		io(g, e, t)
		e.SetBytes(3, nil, 0)
	}
}

func connectEvent(g *Gen, e *event.Event, t *thread) {
	e.SetInt(0, g.fd())
	remote := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(g.rng.IntN(4)), byte(g.rng.IntN(16))}), 5432)
	local := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 9, 7}), uint16(32768+g.rng.IntN(28000)))
	var buf [32]byte
	e.SetBytes(1, event.AppendSockAddrInet(buf[:0], remote), 0)
	e.SetBytes(2, event.AppendSockAddrInet(buf[:0], local), 0)
	e.SetBytes(3, event.AppendSockAddrInet(buf[:0], remote), 0)
	for i := 1; i <= 3; i++ {
		e.Params[i].Orig = uint32(len(e.Bytes(i)))
	}
}

func forkEvent(g *Gen, e *event.Event, t *thread) {
	child := t.tid + int32(10000+g.rng.IntN(1000))
	e.SetInt(0, uint64(child))
	e.SetInt(1, uint64(child))
	e.SetInt(2, 0)
	e.SetInt(3, 0x1200011)
	e.SetString(4, t.comm)
}

func execEvent(g *Gen, e *event.Event, t *thread) {
	e.SetString(0, "/usr/bin/"+t.comm)
	e.AppendString(1, t.comm)
	e.AppendString(1, "--config")
	e.AppendString(1, "/etc/"+t.comm+".conf")
	e.SetBytes(2, nil, 0)
	e.SetString(3, "/usr/bin/"+t.comm)
	e.SetString(4, "/")
	e.SetString(5, t.comm)
	e.SetInt(6, uint64(t.pid))
	e.SetInt(7, 1000)
	e.SetInt(8, 1000)
}

func plain(g *Gen, e *event.Event, t *thread) {}

func defaultMix() []kind {
	const io = ioShare
	return []kind{
		{"read", 22, ioEvent(io)},
		{"write", 12, ioEvent(io)},
		{"recvfrom", 6, sockEvent(io)},
		{"sendto", 5, sockEvent(io)},
		{"pread64", 3, ioEvent(io)},
		{"writev", 4, ioEvent(io)},
		{"futex", 10, futexEvent},
		{"epoll_wait", 7, epollEvent},
		{"openat", 8, openEvent},
		{"newfstatat", 6, statEvent},
		{"close", 8, closeEvent},
		{"mmap", 3, mmapEvent},
		{"getpid", 2, plain},
		{"connect", 0.5, connectEvent},
		{"procfork", 0.1, forkEvent},
		{"execve", 0.1, execEvent},
	}
}
