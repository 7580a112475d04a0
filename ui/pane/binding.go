package pane

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// Binding is one thing a key does in a pane. The pane's list of them is the
// one source of its dispatch, footer, help, read-only hiding and the
// config's key overrides (by Action).
type Binding struct {
	// Action is the config name of what it does ("delete"): `keys: {delete: [x]}`
	// rebinds it in every pane that has it.
	Action string
	// Keys are the default keys, as Bubble Tea spells them ("D", "ctrl+a").
	Keys []string
	// Help says what it does in this pane's words ("delete tag").
	Help string
	// Short is the footer word ("delete"); "" keeps it out of the footer.
	Short string
	// Group is the help section; "" is "Actions".
	Group string
	// Mutates marks a change on the Hub: read-only mode hides it.
	Mutates bool
	// Disabled says why it cannot run now ("nothing selected", "owners
	// only: you are a member"); the key then says so instead of running.
	Disabled string
	// Run does it.
	Run func() tea.Cmd
}

// Help groups, in the order help shows them.
const (
	GroupMove    = "Move"
	GroupPanes   = "Panes"
	GroupFind    = "Find"
	GroupSelect  = "Select"
	GroupActions = "Actions"
	GroupGeneral = "General"
)

// The actions the frame and the shared list give every pane, by config name.
// A pane's own actions are named in its package.
const (
	ActUp          = "up"
	ActDown        = "down"
	ActTop         = "top"
	ActBottom      = "bottom"
	ActHalfDown    = "half_page_down"
	ActHalfUp      = "half_page_up"
	ActPageDown    = "page_down"
	ActPageUp      = "page_up"
	ActNextPane    = "next_pane"
	ActPrevPane    = "prev_pane"
	ActBack        = "back"
	ActFilter      = "filter"
	ActCommand     = "command"
	ActHelp        = "help"
	ActQuit        = "quit"
	ActCopy        = "copy"
	ActOpen        = "open"
	ActMark        = "mark"
	ActMarkAll     = "mark_all"
	ActSort        = "sort"
	ActSortReverse = "sort_reverse"
	ActRefresh     = "refresh"
	ActNew         = "new"
	ActEdit        = "edit"
	ActDelete      = "delete"
)

// PaneJump is the action of the number key that jumps to the i-th tab (0-based).
func PaneJump(i int) string { return fmt.Sprintf("pane_%d", i+1) }

// Gate is the reason a binding is disabled, or "": a change needs at least
// role min in the org (RoleUnknown: the Hub decides), and what needs
// something selected says so when nothing is.
func Gate(env Env, min Role, selected bool) string {
	switch r := env.Role(); {
	case !selected:
		return "nothing selected"
	case r != RoleUnknown && r < min:
		who := "owners and editors"
		if min == RoleOwner {
			who = "owners"
		}
		a := "a"
		if r == RoleEditor {
			a = "an"
		}
		return fmt.Sprintf("only %s of %s can; you are %s %s", who, env.Org(), a, r)
	}
	return ""
}

// Scroll is the first line of a page scrolled by a movement action from
// pos, with height lines on screen; the bottom is clamped by the page's
// View, which knows how long it is.
func Scroll(pos, height int, act string) int {
	half := max(1, height/2)
	switch act {
	case ActUp:
		return max(0, pos-1)
	case ActDown:
		return pos + 1
	case ActTop:
		return 0
	case ActBottom:
		return 1 << 30
	case ActPageDown, ActHalfDown:
		return pos + half
	case ActPageUp, ActHalfUp:
		return max(0, pos-half)
	}
	return pos
}
