package format

import (
	"crypto/ed25519"
	"io"
)

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// PublicKey, when set, requires a valid ed25519 signature of the footer by it.
	PublicKey ed25519.PublicKey
}

// Report is what Verify found in one file.
type Report struct {
	Name      string
	Size      int64
	Blocks    int    // complete, intact blocks
	States    int    // complete, intact state sections
	Events    uint64 // events in intact blocks
	Footer    bool   // a valid footer was found
	Signed    bool   // the footer is signed
	SigValid  bool   // ... and the signature checked against VerifyOptions.PublicKey
	Truncated bool   // the file ends before its footer
	BytesLost int64  // bytes after the last complete frame of a truncated file
	Trailing  int64  // bytes after the trailer of a finished file
	// Problem is the first thing wrong (nil when the file is intact).
	Problem *Problem
}

// OK reports whether the file is intact: every frame, checksum and the chain, the
// footer and its index, and the signature when a key was given.
func (r *Report) OK() bool { return r.Problem == nil }

// Problem names the first bad part of a file.
type Problem struct {
	Kind   ProblemKind
	Part   string // "block 3", "state section 0", "header", "footer"
	Block  int    // frame sequence number, -1 for header and footer
	Offset int64
	What   string // "checksum mismatch", "hash chain broken: ...", "truncated: 812 bytes lost"
}

// ProblemKind sorts problems by what they mean for the evidence, so that a caller can
// word its verdict without matching Problem.What, which is for people.
type ProblemKind int

const (
	// ProblemDamaged: a part was altered, removed, added or reordered, or does not decode.
	ProblemDamaged ProblemKind = iota
	// ProblemTruncated: the file ends early, as a killed writer or a full disk leaves it
	// (Report.Truncated is set too).
	ProblemTruncated
	// ProblemTrailingData: bytes follow the trailer of a finished file. Nothing was
	// lost, and the trace before them is intact, but the file is not as it was written.
	ProblemTrailingData
	// ProblemNotSigned: every frame, the chain and the footer are intact, but the file
	// carries no signature while VerifyOptions.PublicKey asks for one.
	ProblemNotSigned
)

func (p *Problem) String() string {
	return p.Part + " at offset " + itoa(p.Offset) + ": " + p.What
}

// Verify reads a whole trace and checks every frame's CRC32C, the SHA-256 hash chain,
// that every block decodes, the footer, its index and digest, and the signature. A
// damaged file is not an error: the Report names the first bad part. The error is only
// for failures to read.
func Verify(r io.ReaderAt, size int64, opts VerifyOptions) (*Report, error) {
	return verify(r, size, opts)
}

// VerifyFile verifies the named file.
func VerifyFile(name string, opts VerifyOptions) (*Report, error) {
	return verifyFile(name, opts)
}
