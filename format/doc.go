// Package format reads and writes .syscam trace files: header, state sections,
// compressed and indexed event blocks, hash chain, footer, rotation and recovery.
//
// # File layout
//
//	+---------------------------------------------------------------+
//	| file header   magic "SYSCAM\x00\x01", version, JSON Header,   |
//	|               CRC32C  (filehead.go)                           |
//	+---------------------------------------------------------------+
//	| frame 0       state section: the initial snapshot             |
//	| frame 1       block of events                                 |
//	| frame 2       block of events                                 |
//	| frame 3       state section: a checkpoint                     |
//	| ...           every frame: 76-byte header (magic, kind,       |
//	|               sizes, count, time range, SHA-256 link, CRC32C) |
//	|               then a zstd payload of columns (frame.go;       |
//	|               block2.go, block.go for version 1 files)        |
//	+---------------------------------------------------------------+
//	| footer frame  JSON: block and state index, type counts,       |
//	|               capture statistics, digest (footer.go)          |
//	| signature     optional ed25519 over the footer frame          |
//	| trailer       32 bytes: footer offset and size, "SYSCAMft"    |
//	+---------------------------------------------------------------+
//
// Frames are self-delimiting, so a file whose writer died is read by scanning from
// the header to the last complete frame. Each frame's link is SHA-256 of the previous
// link and of the frame's content, starting from the file header: verify recomputes
// the chain, and the footer (and its signature) vouch for it. docs/FORMAT.md gives the
// byte layout, the versioning rules and the compatibility promise.
//
// # Writing
//
// Writer.Write encodes each event into the columns of the current block (that is the
// copy it promises); full blocks go to a pool of encoder goroutines that assemble and
// compress them, and one output goroutine writes them in order, chaining and indexing
// them, rotating files by size, time or count. Write must get events in timestamp
// order.
//
// # Reading
//
// Open and NewReader read the header, the trailer and the footer, nothing else.
// Events(Selection) compares the selection with the index, so blocks outside the time
// range, without the wanted event types or tids are never read; the others are read,
// checked, decompressed and decoded ahead by worker goroutines: their fixed columns
// into one record per event, each type's parameter columns into rows. The caller's
// Event, reused without allocating, receives one record and row at a time.
//
// # Ordering and merging
//
// A file's events are in timestamp order. A Set reads several files as one timeline by
// a k-way merge: it keeps the next event of every file in a heap and always yields the
// earliest, the file order breaking ties. With two files whose events are at
//
//	a.syscam: 10 20 30 50
//	b.syscam:    20 25 40
//
// the set yields 10(a) 20(a) 20(b) 25(b) 30(a) 40(b) 50(a). Num, the position of an
// event, counts from 1 through the files in the order of their first events: a's
// events are 1 to 4 and b's 5 to 7 whatever the interleaving, so that a rotated set,
// whose files do not overlap, numbers events as one long file would.
//
// # Faults
//
// Every size and count read from a file is checked against fixed limits and against
// the bytes that hold it before anything is allocated; zstd's memory is limited; a
// damaged file yields a FormatError naming the file, the part (header, block N,
// footer) and its offset, never a panic. Verify reports the first bad frame.
//
// # Concurrency
//
// A Writer is used from one goroutine at a time. A Reader and a Set may serve several
// Events iterators at once; each iterator is used from one goroutine.
package format
