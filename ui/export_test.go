package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/pane"
)

// What the frame's external tests need of its insides.

// Modes, for comparing with Mode.
const (
	ModeNormal  = modeNormal
	ModeFilter  = modeFilter
	ModePalette = modePalette
	ModeHelp    = modeHelp
	ModeSignIn  = modeSignIn
)

// Mode is what keys go to.
func (a *App) Mode() mode { return a.mode }

// SetMode puts the App in mode m (benchmarks type into the filter).
func (a *App) SetMode(m mode) { a.mode = m }

// Quitting says whether the App has quit.
func (a *App) Quitting() bool { return a.quitting }

// Render draws the frame as it was before quitting.
func (a *App) Render() string {
	q := a.quitting
	a.quitting = false
	defer func() { a.quitting = q }()
	return a.render()
}

// PaletteValue is what the palette's input holds.
func (a *App) PaletteValue() string { return a.palette.input.Value() }

// TopEnv is the Env of the page on top of the active tab.
func (a *App) TopEnv() pane.Env { return a.cur().env }

// TopAddressed is msg addressed to the page on top of the active tab.
func (a *App) TopAddressed(msg tea.Msg) tea.Msg { return addressed{to: a.cur().id, msg: msg} }

// SignInStage is the sign-in dialog's stage (0 credentials, 1 the
// two-factor code), -1 when it is not open.
func (a *App) SignInStage() int {
	if a.signin == nil {
		return -1
	}
	return a.signin.stage
}

// SignInErr is what the sign-in dialog says went wrong, "" when it is not open.
func (a *App) SignInErr() string {
	if a.signin == nil {
		return ""
	}
	return a.signin.err
}

// Gen is the newest load generation handed out.
func (a *App) Gen() uint64 { return a.gen }

// SetGen records gen as handed out.
func (a *App) SetGen(gen uint64) { a.gen = gen }

// Orgs is the user's organizations, nil before they are known.
func (a *App) Orgs() []string { return a.orgs }

// SetErr puts err on the status line.
func (a *App) SetErr(err error) { a.setErr(err) }

// RunningChanges is the changes in flight, by id.
func (a *App) RunningChanges() map[uint64]string { return a.running }

// KeyBindings is the keymap's bindings.
func (a *App) KeyBindings() []pane.Binding { return a.keys.Bindings() }

// OSC52 is the escape sequence that puts s on the clipboard.
func OSC52(s string, tmux bool) string { return osc52(s, tmux) }

// FindFrame is the frame binding (with panes tabs) that key runs.
func (k Keymap) FindFrame(panes int, key string) (pane.Binding, bool) {
	return k.find(frameCatalogue(panes), key)
}

// HappenedMsg is the message that hands evs to the live panes, as the
// Audit pane's follow does.
func (a *App) HappenedMsg(evs ...hubclient.AuditLog) tea.Msg {
	return happenedMsg{session: a.sessionID, evs: evs}
}
