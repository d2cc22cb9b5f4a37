// Package query is the Falco/sysdig filter language: grammar, field registry, type
// checking, compilation to closures, and output formatting.
package query
