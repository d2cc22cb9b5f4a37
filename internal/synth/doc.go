// Package synth generates synthetic but realistic event streams for benchmarks and
// tests: a skewed syscall mix (read and write dominate, as on a busy server), increasing
// timestamps, a few hundred threads in a hundred processes with skewed activity,
// repeating paths, read and write sizes, and a fraction of events carrying payloads.
//
// The stream is a pure function of Options (including Seed), so benchmarks in
// different packages measure the same input. A Gen is not safe for concurrent use.
package synth
