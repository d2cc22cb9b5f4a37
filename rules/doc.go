// Package rules loads Falco-style rules files and evaluates them over a replay.
//
// # Loading
//
// A Loader reads rules files in order, as Falco reads several -r options: lists,
// macros and rules, with append: true and override: (append or replace per key)
// applied to what earlier items and files defined, exceptions turned into conditions,
// required_engine_version and required_plugin_versions recorded, and rules of other
// sources (k8s_audit, plugins) skipped with a warning. Errors name the file, the line
// and the item, and, in a condition, the column:
//
//	local.yaml:12:14: rule "Write below etc": condition column 31: unknown macro open_wrte
//
// Ruleset is the result; LoadDefault adds syscam's own ruleset, embedded from
// rules/default/*.yaml.
//
// # Compiling and matching
//
// Compile parses every macro and compiles every rule through package query, which
// resolves macro and list names through the Ruleset. A rule using a field the registry
// does not know fails the compile unless it says skip-if-unknown-filter: true or
// Options.SkipUnknown is set; it is then dropped with a warning. Each rule is indexed
// under the event types its condition can match (inferred as Falco's libs do: only
// evt.type comparisons narrow the set, and not swaps may-be-true and may-be-false), so
// an event only runs its candidates. Match follows Falco: the first matching rule in
// load order, or every matching rule with Options.AllMatches.
//
// A worked example: with rules A (evt.type = open and fd.name startswith /etc/) and B
// (evt.type in (open, execve) and proc.name = vim), an openat event runs neither (its
// type is in no index), an open of /etc/passwd by vim runs A, which matches, and stops
// there; with AllMatches it runs B too and reports both.
//
// # Concurrency
//
// Loader is not safe for concurrent use. An Engine is immutable after Compile and
// Match may run from several goroutines, each with its own query.Input; formatting an
// alert (NewAlert, AppendOutput) is not safe for concurrent use, as query's formatters
// keep scratch state.
package rules
