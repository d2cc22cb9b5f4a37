package format

import (
	"errors"
	"io"
	"strconv"

	"github.com/syscam/syscam/event"
)

var errTodo = errors.New("format: not implemented yet")

func openSet(paths []string) (*Set, error)                        { return nil, errTodo }
func newSet(rs []*Reader) *Set                                    { return &Set{readers: rs} }
func (s *Set) stats() Stats                                       { return Stats{} }
func (s *Set) stateBefore(t int64) (int64, []*event.Event, error) { return 0, nil, errTodo }
func (s *Set) merge(sel Selection) Iterator                       { return errIterator{errTodo} }
func verify(r io.ReaderAt, size int64, o VerifyOptions) (*Report, error) {
	return nil, errTodo
}
func verifyFile(name string, o VerifyOptions) (*Report, error) { return nil, errTodo }
func itoa(v int64) string                                      { return strconv.FormatInt(v, 10) }
