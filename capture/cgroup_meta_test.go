package capture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testMeta points at the runtime files kept in testdata/cgroup.
var testMeta = ContainerMeta{DockerRoot: "testdata/cgroup/docker",
	ContainerdRoot: "testdata/cgroup/containerd", CrioRoot: "testdata/cgroup/crio"}

func TestContainerMetaFindsNamesAndImagesInRuntimeFiles(t *testing.T) {
	k8s := strings.Repeat("0123456789abcdef", 4)
	for _, tc := range []struct {
		name string
		in   Container
		want Container
	}{
		{"docker's config.v2.json", Container{ID: fakeDocker, Runtime: "docker"},
			Container{ID: fakeDocker, Runtime: "docker", Name: "shop-web", Image: "registry.example.com/shop/web:1.4.2"}},
		{"containerd's OCI bundle", Container{ID: k8s, Runtime: "containerd"},
			Container{ID: k8s, Runtime: "containerd", Name: "nginx", Image: "docker.io/library/nginx:1.27"}},
		{"cri-o's OCI bundle", Container{ID: k8s, Runtime: "cri-o"},
			Container{ID: k8s, Runtime: "cri-o", Name: "redis", Image: "quay.io/opstree/redis:v7.0.15"}},
		{"a stopped container", Container{ID: strings.Repeat("f", 64), Runtime: "docker"},
			Container{ID: strings.Repeat("f", 64), Runtime: "docker"}},
		{"a runtime without files", Container{ID: "web01", Runtime: "lxc"}, Container{ID: "web01", Runtime: "lxc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, testMeta.Lookup(tc.in)); diff != "" {
				t.Errorf("Lookup (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContainerMetaIgnoresBrokenFiles(t *testing.T) {
	root := t.TempDir()
	id := strings.Repeat("a", 64)
	dir := filepath.Join(root, "containers", id)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "config.v2.json"), []byte(`{"Name":"/half`), 0o644)
	got := (&ContainerMeta{DockerRoot: root}).Lookup(Container{ID: id, Runtime: "docker"})
	if got.Name != "" || got.Image != "" {
		t.Errorf("Lookup of a truncated config = %+v, want no name or image", got)
	}
	big := make([]byte, maxContainerConfig+1)
	os.WriteFile(filepath.Join(dir, "config.v2.json"), big, 0o644)
	if _, _, err := readDockerConfig(filepath.Join(dir, "config.v2.json")); err == nil || !strings.Contains(err.Error(), "cap") {
		t.Errorf("readDockerConfig of a file over the cap: %v", err)
	}
}
