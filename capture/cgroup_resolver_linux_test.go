package capture

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func dirIno(t *testing.T, p string) uint64 {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(p, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// TestCgroupResolverWalksAHierarchyForUnknownIDs runs on a plain directory tree, where
// file handles are not cgroup ids, so the walk is what answers.
func TestCgroupResolverWalksAHierarchyForUnknownIDs(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "system.slice", "ssh.service"), 0o755)
	r := NewCgroupResolver(root)
	id := dirIno(t, filepath.Join(root, "system.slice", "ssh.service"))
	if p, ok := r.Path(id); !ok || p != "/system.slice/ssh.service" {
		t.Errorf("Path(%d) = %q, %v; want /system.slice/ssh.service", id, p, ok)
	}
	if p, ok := r.Path(dirIno(t, root)); !ok || p != "/" {
		t.Errorf("Path(root) = %q, %v; want /", p, ok)
	}
	// A cgroup made after the walk is found only once Rewalk has passed.
	os.MkdirAll(filepath.Join(root, "new.scope"), 0o755)
	newID := dirIno(t, filepath.Join(root, "new.scope"))
	if _, ok := r.Path(newID); ok {
		t.Error("a cgroup made after the walk was found before Rewalk passed")
	}
	r.Rewalk = time.Nanosecond
	if p, ok := r.Path(newID); !ok || p != "/new.scope" {
		t.Errorf("Path(new) after Rewalk = %q, %v; want /new.scope", p, ok)
	}
}

func TestCgroupResolverAnnouncesEachCgroupAndContainerOnce(t *testing.T) {
	root := t.TempDir()
	id := strings.Repeat("ef", 32)
	scope := filepath.Join(root, "system.slice", "docker-"+id+".scope")
	os.MkdirAll(filepath.Join(scope, "init.scope"), 0o755)
	r := NewCgroupResolver(root)
	var got []string
	for _, p := range []string{scope, scope, filepath.Join(scope, "init.scope")} {
		for _, e := range r.Announce(nil, 1, dirIno(t, p)) {
			got = append(got, e.Name()+" "+string(e.Bytes(1)))
		}
	}
	want := []string{
		"cgroupinfo /system.slice/docker-" + id + ".scope",
		"containerinfo docker",
		"cgroupinfo /system.slice/docker-" + id + ".scope/init.scope",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("announced events (-want +got):\n%s", diff)
	}
}

// TestCgroupResolverOpensRealCgroupsByHandle makes a cgroup in the machine's v2
// hierarchy and resolves its id by file handle, without a walk.
func TestCgroupResolverOpensRealCgroupsByHandle(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a cgroup and open_by_handle_at need root")
	}
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Skip("no /proc/self/mountinfo:", err)
	}
	root, ok, err := parseCgroup2Mount(b)
	if err != nil || !ok {
		t.Skipf("no cgroup2 mount here (%v)", err)
	}
	name := "syscam-test-" + strconv.Itoa(os.Getpid())
	dir := filepath.Join(root, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(dir)
	id := dirIno(t, dir)
	r := NewCgroupResolver(root)
	r.Rewalk = time.Hour
	r.lastWalk = time.Now() // no walk: only the handle can answer
	if p, ok := r.Path(id); !ok || p != "/"+name {
		t.Errorf("Path(%d) = %q, %v; want /%s", id, p, ok, name)
	}
}
