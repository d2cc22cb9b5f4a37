package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

// defaultFS holds syscam's own ruleset, also shipped as rules/default/*.yaml.
//
//go:embed default/*.yaml
var defaultFS embed.FS

// LoadDefault loads syscam's default ruleset into l, file by file in name order
// (00-base.yaml first: it holds the lists and macros the others use).
func (l *Loader) LoadDefault() error {
	names, err := fs.Glob(defaultFS, "default/*.yaml")
	if err != nil {
		return fmt.Errorf("list default rules: %w", err)
	}
	for _, name := range names {
		data, err := defaultFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read default rules: %w", err)
		}
		if err := l.Load("(default)/"+path.Base(name), data); err != nil {
			return err
		}
	}
	return nil
}
