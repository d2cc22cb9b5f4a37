package capture

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestContainerFromCgroupRecognisesEachRuntimePattern(t *testing.T) {
	id := strings.Repeat("0123456789abcdef", 4)
	for _, tc := range []struct {
		name, path string
		want       Container
		ok         bool
	}{
		{"docker with the systemd driver", "/system.slice/docker-" + id + ".scope", Container{ID: id, Runtime: "docker"}, true},
		{"docker with the cgroupfs driver", "/docker/" + id, Container{ID: id, Runtime: "docker"}, true},
		{"a sub-cgroup inside a docker container", "/system.slice/docker-" + id + ".scope/init.scope", Container{ID: id, Runtime: "docker"}, true},
		{"kubernetes on containerd", "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1d3a.slice/cri-containerd-" + id + ".scope", Container{ID: id, Runtime: "containerd"}, true},
		{"kubernetes on cri-o", "/kubepods.slice/kubepods-pod1d3a.slice/crio-" + id + ".scope", Container{ID: id, Runtime: "cri-o"}, true},
		{"kubernetes with the cgroupfs driver", "/kubepods/besteffort/pod1d3a-22/" + id, Container{ID: id, Runtime: "containerd"}, true},
		{"systemd-nspawn", "/machine.slice/systemd-nspawn@web.service/payload", Container{ID: "web", Runtime: "systemd-nspawn"}, true},
		{"podman", "/machine.slice/libpod-" + id + ".scope", Container{ID: id, Runtime: "podman"}, true},
		{"podman with cgroupfs", "/libpod_parent/libpod-" + id, Container{ID: id, Runtime: "podman"}, true},
		{"rootless podman", "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + id + ".scope/container", Container{ID: id, Runtime: "podman"}, true},
		{"nerdctl", "/system.slice/nerdctl-" + id + ".scope", Container{ID: id, Runtime: "containerd"}, true},
		{"lxc payload", "/lxc.payload.web01", Container{ID: "web01", Runtime: "lxc"}, true},
		{"lxc payload directory", "/lxc.payload/web01/init.scope", Container{ID: "web01", Runtime: "lxc"}, true},
		{"old lxc", "/lxc/web01", Container{ID: "web01", Runtime: "lxc"}, true},
		{"cri-o's conmon is not the container", "/kubepods.slice/crio-conmon-" + id + ".scope", Container{}, false},
		{"podman's conmon is not the container", "/machine.slice/libpod-conmon-" + id + ".scope", Container{}, false},
		{"a short id is not a container id", "/system.slice/docker-0123.scope", Container{}, false},
		{"upper-case hex is not a container id", "/docker/" + strings.ToUpper(id), Container{}, false},
		{"a 64-hex name outside any runtime", "/somewhere/" + id, Container{}, false},
		{"a host service", "/system.slice/ssh.service", Container{}, false},
		{"the root", "/", Container{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ContainerFromCgroup(tc.path)
			if diff := cmp.Diff(tc.want, got); diff != "" || ok != tc.ok {
				t.Errorf("ContainerFromCgroup(%q) = %v, %v; want %v (-want +got):\n%s", tc.path, got, ok, tc.ok, diff)
			}
		})
	}
}

func TestParseCgroupFileKeepsTheV2PathAndAContainerV1Path(t *testing.T) {
	id := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name, in string
		want     procCgroup
		err      string
	}{
		{"cgroup v2 only", "0::/system.slice/ssh.service\n",
			procCgroup{V2: []byte("/system.slice/ssh.service"), HasV2: true}, ""},
		{"hybrid, the container only in v1", "9:name=systemd:/\n4:memory:/docker/" + id + "\n1:cpu:/\n0::/\n",
			procCgroup{V2: []byte("/"), HasV2: true, V1: []byte("/docker/" + id), HasV1: true}, ""},
		{"a path holding colons", "0::/a:b:c\n", procCgroup{V2: []byte("/a:b:c"), HasV2: true}, ""},
		{"a line without colons", "0::/\ngarbage\n", procCgroup{}, "line 2: want id:controllers:path"},
		{"a bad hierarchy id", "x::/\n", procCgroup{}, "line 1: field hierarchy-id: bad value"},
		{"a relative path", "0::relative\n", procCgroup{}, "line 1: field path: not absolute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCgroupFile([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("parseCgroupFile error = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseCgroupFile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendCgroupEventsAddsAContainerOnlyForContainerPaths(t *testing.T) {
	id := strings.Repeat("cd", 32)
	var got []string
	for _, p := range []string{"/system.slice/ssh.service", "/system.slice/docker-" + id + ".scope"} {
		for _, e := range AppendCgroupEvents(nil, 7, 99, p) {
			got = append(got, e.Name()+" "+string(e.AppendArgs(nil)))
		}
	}
	want := []string{
		"cgroupinfo cgroup_id=99 path=/system.slice/ssh.service",
		"cgroupinfo cgroup_id=99 path=/system.slice/docker-" + id + ".scope",
		"containerinfo id=" + id + " runtime=docker name= image= cgroup=/system.slice/docker-" + id + ".scope",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
