// Package format reads and writes .syscam trace files: header, state sections,
// compressed and indexed event blocks, hash chain, footer, rotation and recovery.
package format
