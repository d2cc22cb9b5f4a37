package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/syscam/syscam/format"
)

const verifyHelp = `
inspect verify checks that traces are intact: every frame's CRC32C, the SHA-256 hash
chain from the header through every block to the footer, that every block decodes,
the footer's index and digest, and with --pubkey the ed25519 signature of the footer.
It exits 0 only if every file is intact, and 1 otherwise, naming the first bad block,
its byte offset and what is wrong (a truncated file: how many bytes were lost). An
intact file that has no signature while --pubkey asks for one is NOT SIGNED, and one
with bytes appended after its trailer is TRAILING DATA, rather than DAMAGED; both fail.

Usage:
  inspect verify [--pubkey FILE] FILE...

Examples:
  inspect verify trace.syscam
  inspect verify --pubkey team.pub /evidence/host1/
`

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", verifyHelp, stdout)
	keyFile := fs.String("pubkey", "", "ed25519 public key `FILE` (PEM, raw, hex or base64); requires a valid signature")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return errors.New("verify: no trace file given")
	}
	var opts format.VerifyOptions
	if *keyFile != "" {
		b, err := os.ReadFile(*keyFile)
		if err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		if opts.PublicKey, err = format.ParsePublicKey(b); err != nil {
			return fmt.Errorf("verify: %s: %w", *keyFile, err)
		}
	}
	names, err := traceFiles(files)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	bad := 0
	for _, name := range names {
		if capturesAmong([]string{name}) != "" {
			// Not damaged: there is nothing to verify. Still exit 1: it is not intact
			// evidence that verify could vouch for.
			fmt.Fprintf(stdout, "%s: NOT VERIFIABLE: no checksums or hash chain: %s\n", name, captureAdvice)
			bad++
			continue
		}
		rep, err := format.VerifyFile(name, opts)
		if err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		fmt.Fprintln(stdout, verdict(rep, opts.PublicKey != nil))
		if !rep.OK() {
			bad++
		}
	}
	if bad > 0 {
		return exitError(1)
	}
	return nil
}

// traceFiles replaces each directory by the .syscam files in it.
func traceFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.syscam"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("no .syscam file in directory %s", p)
		}
		out = append(out, m...)
	}
	return out, nil
}

func verdict(rep *format.Report, keyed bool) string {
	if !rep.OK() {
		switch rep.Problem.Kind {
		case format.ProblemNotSigned:
			// Intact, but it cannot be vouched for by the key: a failure, not damage.
			return fmt.Sprintf("%s: NOT SIGNED: %s (%d blocks, %d events, checksums and hash chain intact)", rep.Name, rep.Problem, rep.Blocks, rep.Events)
		case format.ProblemTrailingData:
			// Nothing was lost, but the file is not as the recorder left it.
			return fmt.Sprintf("%s: TRAILING DATA: %d bytes at offset %d, after the trailer (%d blocks, %d events, checksums and hash chain intact)",
				rep.Name, rep.Trailing, rep.Problem.Offset, rep.Blocks, rep.Events)
		}
		return fmt.Sprintf("%s: DAMAGED: %s (%d intact blocks, %d events before it)", rep.Name, rep.Problem, rep.Blocks, rep.Events)
	}
	var notes []string
	notes = append(notes, fmt.Sprintf("%d blocks", rep.Blocks), fmt.Sprintf("%d events", rep.Events), "checksums and hash chain intact")
	switch {
	case keyed && rep.SigValid:
		notes = append(notes, "signature valid")
	case rep.Signed:
		notes = append(notes, "signed (give --pubkey to check the signature)")
	default:
		notes = append(notes, "not signed")
	}
	return fmt.Sprintf("%s: ok (%s)", rep.Name, strings.Join(notes, ", "))
}
