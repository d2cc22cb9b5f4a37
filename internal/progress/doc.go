// Package progress draws a progress bar with rate and ETA on a terminal, for inspect's
// passes over a whole trace:
//
//	stats  [==========>              ]  42%  4.2M/10.0M events  3.1M/s  ETA 2s
//
// The bar shows only when its writer is a terminal (a pipe or file gets nothing, so
// redirected output stays clean) and only once the pass has run for a moment, so
// short passes print nothing. A Bar is not safe for concurrent use.
package progress
