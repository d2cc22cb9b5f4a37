package format

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/syscam/syscam/event"
)

// FuzzReader feeds arbitrary bytes to the reader and to verify: neither may panic,
// hang or allocate without bound, whatever the input. Seeds are the files of
// testdata/ (made by TestMakeTestdata) and cuts of them.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.syscam")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			drain(r)
		}
		if _, err := Verify(bytes.NewReader(data), int64(len(data)), VerifyOptions{}); err != nil {
			t.Fatalf("verify of an in-memory file failed to read: %v", err)
		}
	})
}

// drain reads everything r offers, ignoring errors.
func drain(r *Reader) {
	defer r.Close()
	r.InitialState()
	for _, s := range r.States() {
		r.StateBefore(s.Time)
	}
	it := r.Events(Selection{})
	var e event.Event
	for it.Next(&e) {
		_ = e.String()
	}
	it.Close()
}
