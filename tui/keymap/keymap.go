// Package keymap holds the TUI's key bindings, shared by every page so that the help
// overlay lists exactly what the pages react to.
package keymap

import "charm.land/bubbles/v2/key"

// KeyMap is every binding of the TUI.
type KeyMap struct {
	Quit, Help, Filter, Back                key.Binding
	Tree, Alerts, Timeline                  key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Toggle, ExpandAll, CollapseAll    key.Binding
	Search, NextMatch, Sort                 key.Binding
	NextTab, PrevTab, Follow                key.Binding
	Left, Right, Mark, ClearRange           key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() *KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return &KeyMap{
		Quit:        b("q", "quit", "q", "ctrl+c"),
		Help:        b("?", "help", "?"),
		Filter:      b("f", "filter", "f"),
		Back:        b("esc", "back", "esc", "backspace"),
		Tree:        b("t", "process tree", "t"),
		Alerts:      b("a", "alerts", "a"),
		Timeline:    b("h", "time histogram", "h"),
		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		PageUp:      b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown:    b("pgdn", "page down", "pgdown", "ctrl+f", " "),
		Top:         b("g/home", "first", "g", "home"),
		Bottom:      b("G/end", "last", "G", "end"),
		Open:        b("enter", "open", "enter"),
		Toggle:      b("←/→", "collapse/expand", "left", "right"),
		ExpandAll:   b("E", "expand all", "E"),
		CollapseAll: b("C", "collapse all", "C"),
		Search:      b("/", "search", "/"),
		NextMatch:   b("n/N", "next/previous match", "n", "N"),
		Sort:        b("s", "sort", "s"),
		NextTab:     b("tab", "next tab; text/hex", "tab"),
		PrevTab:     b("shift+tab", "previous tab", "shift+tab"),
		Follow:      b("o", "follow fd", "o"),
		Left:        b("←/→", "move", "left", "right"),
		Mark:        b("enter", "mark range start/end", "enter"),
		ClearRange:  b("x", "clear range", "x"),
	}
}

// Group is one section of the help overlay.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// Groups returns the bindings by view, for the help overlay.
func (k *KeyMap) Groups() []Group {
	return []Group{
		{"Everywhere", []key.Binding{k.Tree, k.Alerts, k.Timeline, k.Filter, k.Back, k.Help, k.Quit}},
		{"Lists", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open}},
		{"Process tree", []key.Binding{k.Toggle, k.ExpandAll, k.CollapseAll, k.Search, k.NextMatch, k.Sort}},
		{"Process, event, follow", []key.Binding{k.NextTab, k.PrevTab, k.Follow}},
		{"Histogram", []key.Binding{k.Left, k.Mark, k.ClearRange}},
	}
}
