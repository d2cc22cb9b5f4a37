package rules

import (
	"testing"
)

func TestDefaultRulesetLoads(t *testing.T) {
	l := NewLoader()
	if err := l.LoadDefault(); err != nil {
		t.Fatalf("load default rules: %v", err)
	}
	rs := l.Ruleset()
	if len(rs.Rules) < 30 {
		t.Errorf("default ruleset has %d rules, want at least 30", len(rs.Rules))
	}
	for _, w := range rs.Warnings {
		t.Errorf("warning: %s", w)
	}
	for _, r := range rs.Rules {
		if r.Desc == "" || r.Output == "" || len(r.Tags) == 0 {
			t.Errorf("rule %q lacks a desc, an output or tags", r.Name)
		}
	}
}
