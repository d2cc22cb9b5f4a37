package format

import (
	"errors"
	"io"
	"strconv"

	"github.com/syscam/syscam/event"
)

var errTodo = errors.New("format: not implemented yet")

type pipeline struct{}

func (p *pipeline) write(e *event.Event) error                       { return errTodo }
func (p *pipeline) writeState(at int64, evs []*event.Event) error    { return errTodo }
func (p *pipeline) flush() error                                     { return errTodo }
func (p *pipeline) setStats(s Stats)                                 {}
func (p *pipeline) close() error                                     { return errTodo }
func (p *pipeline) files() []string                                  { return nil }
func create(path string, h Header, o WriterOptions) (*Writer, error) { return nil, errTodo }
func newWriter(w io.Writer, h Header, o WriterOptions) (*Writer, error) {
	return nil, errTodo
}

type footer struct {
	Blocks      []BlockInfo
	States      []StateInfo
	Stats       Stats
	Events      uint64
	First, Last int64
	sig         []byte
}
type schemaMap struct{}
type decoderPool struct{}

func newReader(r io.ReaderAt, size int64, name string) (*Reader, error) { return nil, errTodo }
func (r *Reader) readState(s *StateInfo) ([]*event.Event, error)        { return nil, errTodo }
func (r *Reader) newIterator(sel Selection) Iterator                    { return errIterator{errTodo} }
func openSet(paths []string) (*Set, error)                              { return nil, errTodo }
func newSet(rs []*Reader) *Set                                          { return &Set{readers: rs} }
func (s *Set) stats() Stats                                             { return Stats{} }
func (s *Set) stateBefore(t int64) (int64, []*event.Event, error)       { return 0, nil, errTodo }
func (s *Set) merge(sel Selection) Iterator                             { return errIterator{errTodo} }
func verify(r io.ReaderAt, size int64, o VerifyOptions) (*Report, error) {
	return nil, errTodo
}
func verifyFile(name string, o VerifyOptions) (*Report, error) { return nil, errTodo }
func itoa(v int64) string                                      { return strconv.FormatInt(v, 10) }
