package format

// Format versions. A file's header names the version that wrote it; a reader accepts
// every version up to the one it was built with and refuses newer ones with
// ErrVersion. Each value is frozen once released: never renumber, never reuse.
const (
	// Version1 is the first layout: JSON header and footer, columnar zstd blocks,
	// CRC32C per frame, SHA-256 hash chain, optional ed25519 footer signature.
	Version1 uint16 = 1

	// Version2 adds block encoding 2 (byte planes, see block2.go), which its writers
	// use for every block. A reader of version 1 would have failed on each block; the
	// new number makes it refuse the file at once, saying why.
	Version2 uint16 = 2

	// VersionCurrent is the version this package writes.
	VersionCurrent = Version2
)

// Magic numbers. Frozen: they are how a reader, a recovery scan and verify find the
// parts of a file.
const (
	fileMagic    = "SYSCAM\x00\x01" // first 8 bytes of every file
	trailerMagic = "SYSCAMft"       // last 8 bytes of a finished file
	frameMagic   = "SCF"            // first 3 bytes of every frame; the 4th is its kind
)

// Frame kinds, the 4th byte of a frame's magic. Frozen.
const (
	kindBlock  byte = 'B' // a block of events
	kindState  byte = 'S' // a state section (initial snapshot or checkpoint)
	kindFooter byte = 'F' // the footer (index, statistics, digest)
)

// Block encodings, a frame's encoding byte. Frozen.
const (
	encodingColumnar1 byte = 1 // columns of varints, see block.go
	encodingPlanes    byte = 2 // columns of byte planes, see block2.go
)

// Compressions, a frame's compression byte. Frozen.
const (
	compressionNone byte = 0
	compressionZstd byte = 1
)
