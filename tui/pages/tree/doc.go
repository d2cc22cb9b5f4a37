// Package tree is the process tree page: every process incarnation of the trace in
// its parent's subtree, collapsible, sortable and searchable, with its event count
// and alert badge. Under a filter or a time range only the processes with matching
// events (and their ancestors) stay, with their matching counts.
package tree
