package scap

import (
	"encoding/json"
	"strconv"

	"github.com/syscam/syscam/event"
)

// containerTypes names libsinsp's container types (CT_*), as the container events
// number them.
var containerTypes = []string{"docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom",
	"cri", "containerd", "cri-o", "bpm", "static", "podman"}

func containerRuntime(t int64) string {
	if t >= 0 && t < int64(len(containerTypes)) {
		return containerTypes[t]
	}
	return "type " + strconv.FormatInt(t, 10)
}

// containerJSON is the part of libsinsp's container JSON (CONTAINER_JSON events) that
// syscam keeps.
type containerJSON struct {
	Container struct {
		ID    string `json:"id"`
		Type  int64  `json:"type"`
		Name  string `json:"name"`
		Image string `json:"image"`
	} `json:"container"`
}

// mapContainer maps a container event into containerinfo (id, runtime, name, image,
// cgroup). The old form has four parameters; later ones carry one JSON document. A
// document that does not parse leaves only the event's header.
func (m *mapper) mapContainer(ev *rawEvent, e *event.Event) {
	m.header(e, ev, event.TypeContainerInfo)
	var id, name, image, runtime string
	if js := rawParam(ev, "json"); js != nil {
		var c containerJSON
		if json.Unmarshal(trimNUL(js), &c) != nil {
			return
		}
		id, name, image, runtime = c.Container.ID, c.Container.Name, c.Container.Image, containerRuntime(c.Container.Type)
	} else {
		id, name, image = string(trimNUL(rawParam(ev, "id"))), string(trimNUL(rawParam(ev, "name"))), string(trimNUL(rawParam(ev, "image")))
		t, _ := rawInt(ev, "type")
		runtime = containerRuntime(t)
	}
	e.SetString(0, id)
	e.SetString(1, runtime)
	e.SetString(2, name)
	e.SetString(3, image)
}

// mapNotice maps scap's notification event (an id and a description) into a notice.
func (m *mapper) mapNotice(ev *rawEvent, e *event.Event) {
	m.header(e, ev, event.TypeNotice)
	msg := string(trimNUL(rawParam(ev, "id")))
	if d := trimNUL(rawParam(ev, "desc")); len(d) > 0 {
		msg += ": " + string(d)
	}
	e.SetString(0, msg)
}
