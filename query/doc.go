// Package query is the Falco/sysdig filter language: grammar, field registry, type
// checking, compilation to closures, push-down bounds and output formatting.
//
// # Pipeline
//
//	text ──Parse──▶ Expr (And, Or, Not, Compare, Ref) ──CompileExpr──▶ *Filter
//	                  │ macros and lists resolved through a Resolver
//	                  │ fields bound through a Registry, values typed, errors positioned
//	                  ▼
//	        Filter.Match(*Input) bool   — short-circuit closures, no allocation
//	        Filter.Bounds()             — event types, time, tids the filter can match
//	        Scan.Run(source, fn)        — push-down into format.Selection + replay
//	        Formatter.AppendText/JSON   — %field output lines
//
// The grammar is a participle precedence ladder (or < and < not < comparison); the
// lexer makes keywords of whole words only, so "proc.name = android" compares with
// android. Errors are *Error: line, column, the source text and, for a condition
// inside a macro, the macro's name; Caret renders the line with a caret under the
// column.
//
// # Values and absence
//
// A field extractor returns its value and whether the field applies to the event. A
// comparison with an absent field is false whatever the operator (as in Falco), so
// "not fd.name = x" and "fd.name != x" differ on events without an fd. String values
// may alias the event's buffer or the Input's scratch buffer: they are valid only
// during one evaluation.
//
// # Concurrency
//
// Registries, parsed Exprs and Filters are immutable and safe for concurrent use. An
// Input and a Formatter belong to one goroutine.
package query

//go:generate go run ./internal/mkfields -o ../docs/FIELDS.md
