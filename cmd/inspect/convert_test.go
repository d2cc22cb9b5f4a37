package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/syscam/syscam/event"
	"github.com/syscam/syscam/format"
	"github.com/syscam/syscam/format/scap"
)

// scapDir returns ../shared/scap from the module root, or skips the test.
func scapDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Skip("module root not found")
		}
		dir = filepath.Dir(dir)
	}
	d := filepath.Join(dir, "..", "shared", "scap")
	if _, err := os.Stat(d); err != nil {
		t.Skip("../shared/scap is absent: the real captures are not committed")
	}
	return d
}

// lines renders events without their position, for comparing streams.
func lines(evs []*event.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.String()
	}
	return out
}

func TestConvertEachSharedCapture(t *testing.T) {
	dir := scapDir(t)
	for _, name := range []string{"curl_google.scap", "curl_google_comments.scap", "single_ipv6_conn.scap", "test_ipv6_client.scap"} {
		t.Run(name, func(t *testing.T) {
			in := filepath.Join(dir, name)
			out := filepath.Join(t.TempDir(), "capture.syscam")
			var stdout, stderr bytes.Buffer
			if err := run([]string{"convert", in, "-o", out}, &stdout, &stderr); err != nil {
				t.Fatalf("convert: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stdout.String(), " scap events → ") {
				t.Errorf("summary: %q", stdout.String())
			}
			rep, err := format.VerifyFile(out, format.VerifyOptions{})
			if err != nil || !rep.OK() {
				t.Fatalf("verify: %v %+v", err, rep)
			}
			src, err := scap.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			want := collect(t, src.Events(format.Selection{}))
			wantState, _ := src.InitialState()

			tr, err := format.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			got := collect(t, tr.Events(format.Selection{}))
			if d := cmp.Diff(lines(want), lines(got)); d != "" {
				t.Errorf("events (-scap +syscam):\n%s", d)
			}
			gotState, err := tr.InitialState()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(lines(wantState), lines(gotState)); d != "" {
				t.Errorf("initial state (-scap +syscam):\n%s", d)
			}
			h := tr.Header()
			if len(h.Provenance) != 2 || h.Provenance[1].Action != "converted from scap" || len(h.Provenance[1].SHA256) != 64 {
				t.Errorf("provenance %+v", h.Provenance)
			}
			if rep.Events != uint64(len(want)) {
				t.Errorf("verify counted %d events, want %d", rep.Events, len(want))
			}
		})
	}
}

func collect(t *testing.T, it *format.Events) []*event.Event {
	t.Helper()
	defer it.Close()
	var out []*event.Event
	var e event.Event
	for it.Next(&e) {
		out = append(out, e.Clone())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestConvertRefusesWhatItCannotDo(t *testing.T) {
	tmp := t.TempDir()
	notScap := filepath.Join(tmp, "notes.txt")
	os.WriteFile(notScap, []byte("not a capture at all"), 0o600)
	exists := filepath.Join(tmp, "exists.syscam")
	os.WriteFile(exists, nil, 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a file that is not a capture", []string{"convert", notScap, "-o", filepath.Join(tmp, "x.syscam")}, "not a sysdig/Falco capture"},
		{"an output that exists", []string{"convert", notScap, "-o", exists}, "exists; use -f"},
		{"an output that exists, with --force", []string{"convert", notScap, "--force", "-o", exists}, "not a sysdig/Falco capture"},
		{"a zstd level above 4", []string{"convert", notScap, "-level", "9", "-o", filepath.Join(tmp, "l9.syscam")}, "-level 9: want 1 to 4"},
		{"a negative zstd level", []string{"convert", notScap, "-level", "-3", "-o", filepath.Join(tmp, "l-3.syscam")}, "-level -3: want 1 to 4"},
		{"a missing input", []string{"convert", filepath.Join(tmp, "missing.scap"), "-o", filepath.Join(tmp, "y.syscam")}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// copyCapture copies a shared capture into a temporary directory, so that a test
// that may destroy it never touches the shared copy.
func copyCapture(t *testing.T, name string) (dir, path string) {
	t.Helper()
	data, err := os.ReadFile(sharedCapture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// Writing the output over the input would truncate the evidence before it is read,
// even with -f.
func TestConvertRefusesToWriteOverItsInput(t *testing.T) {
	dir, in := copyCapture(t, "curl_google.scap")
	want, _ := os.ReadFile(in)
	symlink := filepath.Join(dir, "link.syscam")
	if err := os.Symlink(in, symlink); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	hardlink := filepath.Join(dir, "hard.syscam")
	if err := os.Link(in, hardlink); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, out string
	}{
		{"the same path", in},
		{"the same file by another path", filepath.Join(dir, ".", "sub", "..", "curl_google.scap")},
		{"a symlink to the input", symlink},
		{"a hard link to the input", hardlink},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run([]string{"convert", "-f", in, "-o", tt.out}, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), "is the input") {
				t.Errorf("err = %v, want a refusal that says the output is the input", err)
			}
			got, err := os.ReadFile(in)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("the input changed: %d bytes, want %d (%v)", len(got), len(want), err)
			}
		})
	}
}

// A conversion that fails half way must leave nothing that looks like a trace: the
// events written before the failure verify as an intact, shorter trace.
func TestConvertOfATruncatedCaptureLeavesNoOutput(t *testing.T) {
	data, err := os.ReadFile(sharedCapture(t, "curl_google.scap"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		previous []byte // what OUT held before, nil for no file
	}{
		{"a new output", nil},
		{"an output overwritten with -f", []byte("the previous trace")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "cg.scap")
			if err := os.WriteFile(in, data[:15000], 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "cg.syscam")
			if tt.previous != nil {
				if err := os.WriteFile(out, tt.previous, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			if err := run([]string{"convert", "-f", in, "-o", out}, &stdout, &stderr); err == nil {
				t.Fatalf("convert of a truncated capture succeeded: %s", stdout.String())
			}
			got, err := os.ReadFile(out)
			switch {
			case tt.previous == nil && !os.IsNotExist(err):
				t.Errorf("%s is on disk after the failure (%d bytes, %v)", out, len(got), err)
			case tt.previous != nil && !bytes.Equal(got, tt.previous):
				t.Errorf("%s holds %d bytes after the failure, want the previous %d", out, len(got), len(tt.previous))
			}
			// filepath.Glob's * matches a leading dot, so this sees a hidden partial file too.
			names, _ := filepath.Glob(filepath.Join(dir, "*"))
			want := []string{in}
			if tt.previous != nil {
				want = []string{in, out}
			}
			if d := cmp.Diff(want, names); d != "" {
				t.Errorf("files in the directory after the failure (-want +got):\n%s", d)
			}
		})
	}
}
