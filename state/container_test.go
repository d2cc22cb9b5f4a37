package state

import "testing"

func TestContainerFromCgroup(t *testing.T) {
	const id = "4f1c1e3a0b2d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
	tests := []struct {
		name, path, id, runtime string
	}{
		{"docker with the systemd driver", "/system.slice/docker-" + id + ".scope", id, "docker"},
		{"docker with the cgroupfs driver", "/docker/" + id, id, "docker"},
		{"containerd under kubernetes", "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-" + id + ".scope", id, "containerd"},
		{"cri-o under kubernetes", "/kubepods.slice/kubepods-burstable.slice/crio-" + id + ".scope", id, "cri-o"},
		{"kubernetes with cgroupfs", "/kubepods/besteffort/pod0d1c/" + id, id, "containerd"},
		{"podman", "/machine.slice/libpod-" + id + ".scope/container", id, "podman"},
		{"lxc", "/lxc.payload.web1/init.scope", "web1", "lxc"},
		{"systemd-nspawn", "/machine.slice/systemd-nspawn@debian.service/payload", "debian", "systemd-nspawn"},
		{"a host service", "/system.slice/sshd.service", "", ""},
		{"a user session", "/user.slice/user-1000.slice/session-3.scope", "", ""},
		{"a short hex id is not a container", "/docker/4f1c1e3a0b2d", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, rt, ok := ContainerFromCgroup(tt.path)
			if id != tt.id || rt != tt.runtime || ok != (tt.id != "") {
				t.Errorf("ContainerFromCgroup(%q) = %q, %q, %v; want %q, %q", tt.path, id, rt, ok, tt.id, tt.runtime)
			}
		})
	}
}
