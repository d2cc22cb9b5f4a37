package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Default places where container runtimes keep each container's configuration.
const (
	DefaultDockerRoot     = "/var/lib/docker"
	DefaultContainerdRoot = "/run/containerd/io.containerd.runtime.v2.task"
	DefaultCrioRoot       = "/run/containers/storage/overlay-containers"
)

// maxContainerConfig caps the size of a runtime's configuration file read.
const maxContainerConfig = 4 << 20

// ContainerMeta finds the name and image of a container in the files its runtime keeps
// on the host; the cgroup path has only the id. Roots left empty take the defaults.
//
//	docker      DockerRoot/containers/<id>/config.v2.json
//	            {"Name":"/web","Config":{"Image":"nginx:1.25", ...}, ...}
//	containerd  ContainerdRoot/k8s.io/<id>/config.json (the OCI bundle), annotations
//	            io.kubernetes.cri.container-name and io.kubernetes.cri.image-name
//	cri-o       CrioRoot/<id>/userdata/config.json, annotations
//	            io.kubernetes.container.name and io.kubernetes.cri-o.ImageName
//
// Other runtimes (podman, lxc, systemd-nspawn) get no name or image here.
type ContainerMeta struct {
	DockerRoot     string
	ContainerdRoot string
	CrioRoot       string
}

// Lookup fills c.Name and c.Image from the runtime's files when it finds them; a
// container whose files are gone (it stopped) or unreadable keeps them empty.
func (m *ContainerMeta) Lookup(c Container) Container {
	var err error
	switch c.Runtime {
	case "docker":
		c.Name, c.Image, err = readDockerConfig(filepath.Join(orDefault(m.DockerRoot, DefaultDockerRoot), "containers", c.ID, "config.v2.json"))
	case "containerd":
		c.Name, c.Image, err = readOCIAnnotations(filepath.Join(orDefault(m.ContainerdRoot, DefaultContainerdRoot), "k8s.io", c.ID, "config.json"),
			"io.kubernetes.cri.container-name", "io.kubernetes.cri.image-name")
	case "cri-o":
		c.Name, c.Image, err = readOCIAnnotations(filepath.Join(orDefault(m.CrioRoot, DefaultCrioRoot), c.ID, "userdata", "config.json"),
			"io.kubernetes.container.name", "io.kubernetes.cri-o.ImageName")
	}
	if err != nil {
		c.Name, c.Image = "", ""
	}
	return c
}

func readDockerConfig(path string) (name, image string, err error) {
	b, err := readSmall(path)
	if err != nil {
		return "", "", err
	}
	name, image, err = parseDockerConfig(b)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", path, err)
	}
	return name, image, nil
}

// parseDockerConfig reads the name (without docker's leading '/') and the image as the
// user gave it from a docker config.v2.json.
func parseDockerConfig(b []byte) (name, image string, err error) {
	var cfg struct {
		Name   string
		Config struct{ Image string }
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return "", "", fmt.Errorf("parse docker config: %w", err)
	}
	return strings.TrimPrefix(cfg.Name, "/"), cfg.Config.Image, nil
}

func readOCIAnnotations(path, nameKey, imageKey string) (name, image string, err error) {
	b, err := readSmall(path)
	if err != nil {
		return "", "", err
	}
	name, image, err = parseOCIAnnotations(b, nameKey, imageKey)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", path, err)
	}
	return name, image, nil
}

// parseOCIAnnotations reads two annotations of an OCI runtime bundle's config.json:
// {"ociVersion":"1.0.2","annotations":{"io.kubernetes.cri.container-name":"web",...},...}
func parseOCIAnnotations(b []byte, nameKey, imageKey string) (name, image string, err error) {
	var spec struct {
		Annotations map[string]string `json:"annotations"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		return "", "", fmt.Errorf("parse OCI config: %w", err)
	}
	return spec.Annotations[nameKey], spec.Annotations[imageKey], nil
}

// readSmall reads a file of at most maxContainerConfig bytes.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxContainerConfig+1))
	if err == nil && len(b) > maxContainerConfig {
		err = errors.New("capture: " + path + " is bigger than the container config cap")
	}
	return b, err
}
