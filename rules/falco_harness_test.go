package rules

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestFalcoRulesetByHand loads a local copy of Falco's public ruleset
// (falcosecurity/rules, rules/falco_rules.yaml), which this repository does not carry,
// and reports rule by rule what compiles and which fields are missing:
//
//	SYSCAM_FALCO_RULES=/tmp/falco/falco_rules.yaml go test -run FalcoRuleset -v ./rules/
//
// It fails when a rule does not compile.
func TestFalcoRulesetByHand(t *testing.T) {
	path := os.Getenv("SYSCAM_FALCO_RULES")
	if path == "" {
		t.Skip("set SYSCAM_FALCO_RULES to a local copy of falco_rules.yaml to run")
	}
	l := NewLoader()
	if err := l.LoadFile(path); err != nil {
		t.Fatalf("load: %v", err)
	}
	rs := l.Ruleset()
	t.Logf("loaded %d lists, %d macros, %d rules; required engine %v", len(rs.Lists), len(rs.Macros), len(rs.Rules), rs.EngineVersions)
	for _, w := range rs.Warnings {
		t.Logf("load warning: %s", w)
	}
	ok := 0
	for _, r := range rs.Rules {
		one := *rs
		one.Rules = []*Rule{r}
		eng, err := Compile(&one, Options{})
		switch {
		case err == nil:
			ok++
			types := "all"
			if cr := eng.Rules(); len(cr) == 1 && cr[0].Types != nil {
				var names []string
				for _, ty := range cr[0].Types {
					names = append(names, typeName(ty))
				}
				types = strings.Join(names, ",")
			}
			t.Logf("OK    %-58s types=%s", r.Name, types)
			for _, w := range eng.Warnings() {
				t.Logf("      %s", w.Message)
			}
		case errors.Is(err, ErrUnknownField):
			t.Errorf("FIELD %-58s %v", r.Name, err)
		default:
			t.Errorf("FAIL  %-58s %v", r.Name, err)
		}
	}
	t.Logf("%d of %d rules compile", ok, len(rs.Rules))
}
