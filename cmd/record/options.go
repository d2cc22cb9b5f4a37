package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscam/syscam/capture"
	"github.com/syscam/syscam/format"
)

const recorderVersion = "syscam record 0.1.0"

func (c *config) captureOptions() (capture.Options, error) {
	o := capture.Options{
		Snaplen:  uint32(c.snaplen),
		RingSize: int(c.ringSize),
		Children: len(c.command) > 0,
		Comms:    c.comms,
		Syscalls: c.syscalls,
		Exclude:  c.exclude,
		Env:      c.env,
	}
	for _, p := range c.pids {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return o, fmt.Errorf("--pid %q: want a process id", p)
		}
		if _, err := os.Stat("/proc/" + p); err != nil {
			return o, fmt.Errorf("--pid %d: no such process", n)
		}
		o.PIDs = append(o.PIDs, n)
	}
	for _, cg := range c.cgroups {
		id, err := cgroupID(cg)
		if err != nil {
			return o, err
		}
		o.Cgroups = append(o.Cgroups, id)
	}
	return o, nil
}

// cgroupID resolves a cgroup v2 id: a number, or a path (absolute, or relative to
// /sys/fs/cgroup) whose directory inode is the id.
func cgroupID(s string) (uint64, error) {
	if id, err := strconv.ParseUint(s, 10, 64); err == nil {
		return id, nil
	}
	p := s
	if !strings.HasPrefix(p, "/sys/fs/cgroup") {
		p = filepath.Join("/sys/fs/cgroup", s)
	}
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return 0, fmt.Errorf("--cgroup %s: %w", s, err)
	}
	return st.Ino, nil
}

func (c *config) writerOptions() (format.WriterOptions, error) {
	wo := format.WriterOptions{
		Level:      c.level,
		RotateSize: int64(c.rotateSize),
		RotateTime: c.rotateTime,
		MaxFiles:   c.rotateKeep,
	}
	if c.signKey != "" {
		key, err := readSignKey(c.signKey)
		if err != nil {
			return wo, err
		}
		wo.SignKey = key
	}
	return wo, nil
}

// readSignKey reads an ed25519 private key: PEM PKCS#8 (openssl genpkey -algorithm
// ed25519), or the 32-byte seed or 64-byte key in hex or base64.
func readSignKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	if blk, _ := pem.Decode(b); blk != nil {
		k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse signing key %s: %w", path, err)
		}
		if ek, ok := k.(ed25519.PrivateKey); ok {
			return ek, nil
		}
		return nil, fmt.Errorf("signing key %s is not an ed25519 key", path)
	}
	s := strings.TrimSpace(string(b))
	raw, err := hex.DecodeString(s)
	if err != nil {
		raw, err = base64.StdEncoding.DecodeString(s)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("signing key %s: not PEM, hex or base64", path)
	case len(raw) == ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(raw), nil
	case len(raw) == ed25519.PrivateKeySize:
		return ed25519.PrivateKey(raw), nil
	}
	return nil, fmt.Errorf("signing key %s: %d bytes, want a 32-byte seed or a 64-byte key", path, len(raw))
}

func (s *session) header() (format.Header, error) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return format.Header{}, fmt.Errorf("read kernel version: %w", err)
	}
	host, _ := os.Hostname()
	now := time.Now().UnixNano()
	h := format.Header{
		Host: format.Host{
			Hostname:      host,
			KernelRelease: unix.ByteSliceToString(uts.Release[:]),
			KernelVersion: unix.ByteSliceToString(uts.Version[:]),
			Arch:          unix.ByteSliceToString(uts.Machine[:]),
			MachineID:     readTrim("/etc/machine-id"),
			BootID:        readTrim("/proc/sys/kernel/random/boot_id"),
			BootTime:      s.rec.BootTime(),
			ClockOffset:   s.rec.BootOffset(),
			NumCPU:        runtime.NumCPU(),
		},
		Recorder:    recorderVersion,
		CommandLine: os.Args,
		Filters:     s.c.filters(),
		Snaplen:     uint32(s.c.snaplen),
		Created:     now,
		Provenance:  []format.Provenance{{Tool: recorderVersion, Action: "recorded", Time: now}},
	}
	return h, nil
}

// filters renders the capture selection as the user gave it.
func (c *config) filters() string {
	var parts []string
	add := func(flag string, l listValue) {
		if len(l) > 0 {
			parts = append(parts, "--"+flag+"="+l.String())
		}
	}
	add("pid", c.pids)
	add("comm", c.comms)
	add("cgroup", c.cgroups)
	add("syscalls", c.syscalls)
	add("exclude-syscalls", c.exclude)
	if len(c.command) > 0 {
		parts = append(parts, "-- "+strings.Join(c.command, " "))
	}
	return strings.Join(parts, " ")
}

func readTrim(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(string(b))
}

// checkWritable fails early, before the programs are loaded, when no file can be
// created in the output's directory (missing, read-only, not a real file system).
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".syscam-check-*")
	if err != nil {
		return fmt.Errorf("output %s: directory %s is not writable: %w", path, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func (c *config) rotating() bool { return c.rotateSize > 0 || c.rotateTime > 0 }

// checkOutput refuses to overwrite an existing trace without --force, and ever to write
// through a symlink: a recorder runs as root, often in a shared /tmp, where a link
// planted by another user would point it at any file. It runs before the programs are
// loaded; the old file itself goes only when the new one is made (replaceOutput). A
// rotated set's parts are new names, so only its base name is not checked.
func (c *config) checkOutput() error {
	if c.rotating() {
		return nil
	}
	st, err := os.Lstat(c.output)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("output %s: %w", c.output, err)
	case st.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("output %s is a symlink: record does not write through links; give the target's path", c.output)
	case st.IsDir():
		return fmt.Errorf("output %s is a directory: give a file name (with rotation, the base name of the set)", c.output)
	case !c.force:
		return fmt.Errorf("output %s exists; use --force to overwrite it", c.output)
	}
	return nil
}

// replaceOutput removes the file --force allowed to overwrite, just before the trace
// is created: the new one then gets mode 0600 instead of keeping the old file's, and a
// run that fails while loading leaves the old file as it was.
func (c *config) replaceOutput() error {
	if c.rotating() || !c.force {
		return nil
	}
	if err := os.Remove(c.output); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("output %s: remove the old file: %w", c.output, err)
	}
	return nil
}
