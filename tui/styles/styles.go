// Package styles holds the TUI's lipgloss styles. Colours are given in true colour
// and ANSI 16 pairs through lipgloss's complete colours, so that a 16-colour terminal
// gets readable ANSI colours rather than a nearest-match guess; bubbletea downsamples
// the rest to the terminal's profile.
package styles

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Styles are the styles every component draws with.
type Styles struct {
	Title     lipgloss.Style
	Header    lipgloss.Style // column headers
	Selected  lipgloss.Style // the row under the cursor
	Dim       lipgloss.Style
	Match     lipgloss.Style // search matches
	Error     lipgloss.Style
	Badge     lipgloss.Style // alert badge
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style
	StatusBar lipgloss.Style
	Key       lipgloss.Style // key names in help
	Bar       lipgloss.Style // histogram bars
	BarRange  lipgloss.Style // histogram bars inside the selected range
	Out       lipgloss.Style // data written by the followed end
	In        lipgloss.Style // data it read
	Help      lipgloss.Style // the help overlay's box
}

// DefaultStyles returns the default styles for a terminal of profile p (a
// colorprofile.ANSI terminal gets the 16 ANSI colours chosen here).
func DefaultStyles(p colorprofile.Profile) *Styles {
	complete := lipgloss.Complete(p)
	pick := func(truecolor, ansi256 string, ansi lipgloss.ANSIColor) color.Color {
		return complete(ansi, lipgloss.Color(ansi256), lipgloss.Color(truecolor))
	}
	accent := pick("#7aa2f7", "111", 12)
	red := pick("#f7768e", "204", 9)
	green := pick("#9ece6a", "149", 10)
	yellow := pick("#e0af68", "179", 11)
	grey := pick("#737aa2", "103", 8)
	return &Styles{
		Title:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Header:    lipgloss.NewStyle().Bold(true).Underline(true),
		Selected:  lipgloss.NewStyle().Reverse(true),
		Dim:       lipgloss.NewStyle().Foreground(grey),
		Match:     lipgloss.NewStyle().Foreground(yellow).Bold(true),
		Error:     lipgloss.NewStyle().Foreground(red).Bold(true),
		Badge:     lipgloss.NewStyle().Foreground(red).Bold(true),
		Tab:       lipgloss.NewStyle().Foreground(grey).Padding(0, 1),
		ActiveTab: lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true).Padding(0, 1),
		StatusBar: lipgloss.NewStyle().Reverse(true),
		Key:       lipgloss.NewStyle().Foreground(accent).Bold(true),
		Bar:       lipgloss.NewStyle().Foreground(grey),
		BarRange:  lipgloss.NewStyle().Foreground(green),
		Out:       lipgloss.NewStyle().Foreground(red),
		In:        lipgloss.NewStyle().Foreground(accent),
		Help:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
	}
}
