// Package capture records a Linux host with eBPF: the programs under bpf/, their loader,
// the ring buffer reader, the decoder of raw records into event.Event and the /proc
// snapshot taken at start. Linux only; the analyzer never imports it.
package capture
