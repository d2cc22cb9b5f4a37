// Package common holds what every component and page embeds: its size, the styles
// and the key map.
package common

import (
	"github.com/syscam/syscam/tui/keymap"
	"github.com/syscam/syscam/tui/styles"
)

// Common is embedded by every component and page.
type Common struct {
	Width, Height int
	Styles        *styles.Styles
	KeyMap        *keymap.KeyMap
}

// SetSize records the size the component has to draw in.
func (c *Common) SetSize(w, h int) { c.Width, c.Height = w, h }
