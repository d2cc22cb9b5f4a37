package rules

import (
	"fmt"
	"strings"
)

// Priority is a rule's severity, on syslog's scale as Falco uses it: PriorityEmergency is
// the most severe and the lowest value.
type Priority int8

// Priorities, most severe first.
const (
	PriorityEmergency Priority = iota + 1 // 0 is no priority: Options.MinPriority unset
	PriorityAlert
	PriorityCritical
	PriorityError
	PriorityWarning
	PriorityNotice
	PriorityInformational
	PriorityDebug
)

var priorityNames = [...]string{"", "Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"}

// String returns the name Falco prints ("Warning", "Informational").
func (p Priority) String() string {
	if p > 0 && int(p) < len(priorityNames) {
		return priorityNames[p]
	}
	return fmt.Sprintf("Priority(%d)", int8(p))
}

// ParsePriority reads a priority name in any case; "info" is Informational, as in Falco.
func ParsePriority(s string) (Priority, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "info" {
		return PriorityInformational, nil
	}
	for i, n := range priorityNames {
		if i > 0 && strings.ToLower(n) == name {
			return Priority(i), nil
		}
	}
	return 0, fmt.Errorf("unknown priority %q (want emergency, alert, critical, error, warning, notice, informational, info or debug)", s)
}

// AtLeast reports whether p is as severe as min or more.
func (p Priority) AtLeast(min Priority) bool { return p <= min }
