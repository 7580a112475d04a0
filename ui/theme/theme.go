// Package theme holds the styles the frame, panes and dialogs draw with.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/ui/table"
)

// Theme is every style the frame and panes draw with. Colours are from the
// 16-colour ANSI palette so they hold on any terminal; Bubble Tea strips them
// under NO_COLOR, where selection still reads by reverse video and the '>'
// marker.
type Theme struct {
	Name      string
	Dark      bool // drawn for a dark background
	Header    lipgloss.Style
	Brand     lipgloss.Style
	TabActive lipgloss.Style
	Tab       lipgloss.Style
	Rule      lipgloss.Style
	Footer    lipgloss.Style
	Key       lipgloss.Style
	Status    lipgloss.Style
	Error     lipgloss.Style
	Warn      lipgloss.Style
	OK        lipgloss.Style
	Dim       lipgloss.Style
	Title     lipgloss.Style
	Label     lipgloss.Style
	Box       lipgloss.Style
	Table     table.Styles
}

// New builds the named theme ("auto", "dark", "light", "mono") for a
// dark or light background.
func New(name string, dark bool) Theme {
	if name == "dark" {
		dark = true
	} else if name == "light" {
		dark = false
	}
	ld := lipgloss.LightDark(dark)
	accent := ld(lipgloss.Blue, lipgloss.BrightCyan)
	dim := ld(lipgloss.BrightBlack, lipgloss.BrightBlack)
	var none color.Color
	if name == "mono" {
		accent, dim = none, none
	}
	fg := func(c color.Color) lipgloss.Style {
		if c == nil {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	t := Theme{
		Name:      name,
		Dark:      dark,
		Header:    lipgloss.NewStyle(),
		Brand:     fg(accent).Bold(true),
		TabActive: lipgloss.NewStyle().Reverse(true).Bold(true).Padding(0, 1),
		Tab:       fg(dim).Padding(0, 1),
		Rule:      fg(dim),
		Footer:    fg(dim),
		Key:       fg(accent).Bold(true),
		Status:    lipgloss.NewStyle(),
		Error:     fg(lipgloss.Red).Bold(true),
		Warn:      fg(lipgloss.Yellow),
		OK:        fg(lipgloss.Green),
		Dim:       fg(dim),
		Title:     fg(accent).Bold(true),
		Label:     fg(dim),
		Box:       lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Table:     table.DefaultStyles(),
	}
	if name == "mono" {
		t.Error = lipgloss.NewStyle().Bold(true)
		t.Warn = lipgloss.NewStyle().Underline(true)
		t.OK = lipgloss.NewStyle()
		t.Box = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Padding(0, 1)
	}
	t.Table.Header = t.Table.Header.Foreground(accent)
	return t
}
