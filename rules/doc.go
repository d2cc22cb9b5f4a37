// Package rules loads Falco-style rules files and evaluates them over a replay.
package rules
