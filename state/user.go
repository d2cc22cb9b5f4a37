package state

// User is one entry of the host's passwd file, from a userinfo snapshot event.
type User struct {
	UID   uint32
	GID   uint32
	Name  string
	Home  string
	Shell string
}

// Group is one entry of the host's group file, from a groupinfo snapshot event.
type Group struct {
	GID  uint32
	Name string
}
