package query

import "sync"

var builtin = sync.OnceValue(func() *Registry {
	return newRegistry(evtFields(), hostFields(), procFields(), fdFields(), userFields(), fsFields(), unrecordedFields())
})

// Builtin returns the registry of every field syscam knows. It is built once and
// shared; it is immutable.
func Builtin() *Registry { return builtin() }
