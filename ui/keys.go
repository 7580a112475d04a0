package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/theme"
)

// Keymap is the config file's key overrides, by action name, over the
// default keys every binding brings; it knows every action of the frame and
// of the registry's panes, so an override of an action nobody has is an error.
type Keymap struct {
	over  map[string][]string
	known []pane.Binding // one per action, frame first, in help order
	// panes is each registry pane's bindings as a fresh pane has them, for
	// the check that an override does not bind one key twice.
	panes [][]pane.Binding
	shown int // tabs with a number key
}

// DefaultKeymap is the default keys of the default registry.
func DefaultKeymap() Keymap { return NewKeymap(Registry()) }

// NewKeymap is the default keys of the frame and of the panes of reg.
func NewKeymap(reg []pane.Entry) Keymap {
	k := Keymap{}
	seen := map[string]bool{}
	add := func(bs []pane.Binding) {
		for _, b := range bs {
			if !seen[b.Action] {
				seen[b.Action] = true
				k.known = append(k.known, b)
			}
		}
	}
	shown := 0
	for _, e := range reg {
		if !e.Hidden {
			shown++
		}
	}
	k.shown = shown
	add(frameCatalogue(shown))
	env := &catalogueEnv{cache: state.NewCache(0), theme: theme.New("mono", true)}
	for _, e := range reg {
		p := e.New()
		pages := []pane.Pane{p}
		if c, ok := p.(pane.Catalogue); ok {
			pages = append(pages, c.Pages()...)
		}
		for _, pg := range pages {
			bs := pg.Bindings(env)
			k.panes = append(k.panes, bs)
			add(bs)
		}
	}
	return k
}

// KeyError is a key override the keymap cannot take; Action names it.
type KeyError struct {
	Action string
	Msg    string
}

// Error is "keys.ACTION: msg".
func (e *KeyError) Error() string { return "keys." + e.Action + ": " + e.Msg }

// WithOverrides replaces the keys of the named actions (from the config
// file); an empty list unbinds the action. An unknown action, or a key bound
// to two actions of one pane (or of a pane and the frame), is an error
// naming it.
func (k Keymap) WithOverrides(over map[string][]string) (Keymap, error) {
	out := k
	out.over = map[string][]string{}
	for n, keys := range k.over {
		out.over[n] = keys
	}
	names := make([]string, 0, len(over))
	for n := range over {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if !slices.ContainsFunc(k.known, func(b pane.Binding) bool { return b.Action == name }) {
			return k, &KeyError{Action: name, Msg: fmt.Sprintf("unknown action %q (known: %s)", name, strings.Join(k.actionNames(), ", "))}
		}
		out.over[name] = slices.Clone(over[name])
	}
	frame := frameCatalogue(k.shown)
	for _, bs := range append([][]pane.Binding{nil}, k.panes...) {
		seen := map[string]string{}
		for _, b := range append(slices.Clone(bs), frame...) {
			for _, key := range out.Keys(b) {
				prev, dup := seen[key]
				if dup && prev != b.Action {
					blame := b.Action // point at whichever of the two was overridden
					if _, ok := over[prev]; ok {
						blame = prev
					}
					return k, &KeyError{Action: blame, Msg: fmt.Sprintf("%q is bound to both %s and %s", key, prev, b.Action)}
				}
				seen[key] = b.Action
			}
		}
	}
	return out, nil
}

func (k Keymap) actionNames() []string {
	out := make([]string, len(k.known))
	for i, b := range k.known {
		out[i] = b.Action
	}
	return out
}

// Keys are b's keys: the config's, else its own.
func (k Keymap) Keys(b pane.Binding) []string {
	if keys, ok := k.over[b.Action]; ok {
		return keys
	}
	return b.Keys
}

// Label is the first key of b, as the footer shows it ("" when unbound).
func (k Keymap) Label(b pane.Binding) string {
	keys := k.Keys(b)
	if len(keys) == 0 {
		return ""
	}
	return keyLabel(keys[0])
}

// Bindings are every action known, with its default keys, in help order.
func (k Keymap) Bindings() []pane.Binding { return slices.Clone(k.known) }

// find is the first of bs that key runs.
func (k Keymap) find(bs []pane.Binding, key string) (pane.Binding, bool) {
	for _, b := range bs {
		if slices.Contains(k.Keys(b), key) {
			return b, true
		}
	}
	return pane.Binding{}, false
}

// keyLabel is a key as the footer spells it.
func keyLabel(key string) string {
	switch key {
	case "ctrl+d", "ctrl+u", "ctrl+a", "ctrl+f", "ctrl+b":
		return "^" + strings.TrimPrefix(key, "ctrl+")
	case "shift+tab":
		return "S-tab"
	case "pgdown":
		return "pgdn"
	}
	return key
}

// frameCatalogue is the frame's own actions with their default keys, for
// the keymap; the App's live bindings (globals) carry the same names.
func frameCatalogue(panes int) []pane.Binding {
	b := []pane.Binding{
		{Action: pane.ActUp, Keys: []string{"k", "up"}, Help: "move up", Group: pane.GroupMove},
		{Action: pane.ActDown, Keys: []string{"j", "down"}, Help: "move down", Group: pane.GroupMove},
		{Action: pane.ActTop, Keys: []string{"g", "home"}, Help: "first row", Group: pane.GroupMove},
		{Action: pane.ActBottom, Keys: []string{"G", "end"}, Help: "last row", Group: pane.GroupMove},
		{Action: pane.ActHalfDown, Keys: []string{"ctrl+d"}, Help: "half page down", Group: pane.GroupMove},
		{Action: pane.ActHalfUp, Keys: []string{"ctrl+u"}, Help: "half page up", Group: pane.GroupMove},
		{Action: pane.ActPageDown, Keys: []string{"pgdown", "ctrl+f"}, Help: "page down", Group: pane.GroupMove},
		{Action: pane.ActPageUp, Keys: []string{"pgup", "ctrl+b"}, Help: "page up", Group: pane.GroupMove},
		{Action: pane.ActNextPane, Keys: []string{"tab"}, Help: "next pane", Short: "next pane", Group: pane.GroupPanes},
		{Action: pane.ActPrevPane, Keys: []string{"shift+tab"}, Help: "previous pane", Group: pane.GroupPanes},
	}
	for i := range panes {
		b = append(b, pane.Binding{Action: pane.PaneJump(i), Keys: []string{fmt.Sprint(i + 1)}, Help: "jump to a pane", Group: pane.GroupPanes})
	}
	return append(b,
		pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: "back", Group: pane.GroupPanes},
		pane.Binding{Action: pane.ActFilter, Keys: []string{"/"}, Help: "filter ('exact ^prefix suffix$ !not re:RE)", Short: "filter", Group: pane.GroupFind},
		pane.Binding{Action: pane.ActCommand, Keys: []string{":"}, Help: "command palette", Short: "command", Group: pane.GroupFind},
		pane.Binding{Action: pane.ActCopy, Keys: []string{"y"}, Help: "copy name (OSC 52)", Short: "copy", Group: pane.GroupSelect},
		pane.Binding{Action: pane.ActHelp, Keys: []string{"?"}, Help: "help", Short: "help", Group: pane.GroupGeneral},
		pane.Binding{Action: pane.ActQuit, Keys: []string{"q", "ctrl+c"}, Help: "quit", Short: "quit", Group: pane.GroupGeneral},
	)
}

// catalogueEnv is the Env a fresh pane lists its bindings with for the
// keymap: no session, nothing loaded, nothing it asks for happens.
type catalogueEnv struct {
	cache *state.Cache
	theme theme.Theme
}

func (e *catalogueEnv) Client() *hubclient.Client                      { return nil }
func (e *catalogueEnv) Org() string                                    { return "" }
func (e *catalogueEnv) User() string                                   { return "" }
func (e *catalogueEnv) Personal() bool                                 { return false }
func (e *catalogueEnv) Role() pane.Role                                { return pane.RoleUnknown }
func (e *catalogueEnv) ReadOnly() bool                                 { return false }
func (e *catalogueEnv) Theme() *theme.Theme                            { return &e.theme }
func (e *catalogueEnv) Now() time.Time                                 { return time.Time{} }
func (e *catalogueEnv) NextGen() uint64                                { return 0 }
func (e *catalogueEnv) Spinner() string                                { return "" }
func (e *catalogueEnv) Size() (int, int)                               { return 80, 19 }
func (e *catalogueEnv) Cache() *state.Cache                            { return e.cache }
func (e *catalogueEnv) Key(action string) string                       { return action }
func (e *catalogueEnv) Say(string)                                     {}
func (e *catalogueEnv) Fail(string, error)                             {}
func (e *catalogueEnv) Clear(string)                                   {}
func (e *catalogueEnv) Ask(dialog.Dialog)                              {}
func (e *catalogueEnv) Mutate(pane.Change)                             {}
func (e *catalogueEnv) MutateEach(pane.Bulk)                           {}
func (e *catalogueEnv) Open(state.Kind, string)                        {}
func (e *catalogueEnv) Push(pane.Pane)                                 {}
func (e *catalogueEnv) Pop()                                           {}
func (e *catalogueEnv) Copy(string)                                    {}
func (e *catalogueEnv) Bell()                                          {}
func (e *catalogueEnv) Do(tea.Cmd)                                     {}
func (e *catalogueEnv) Happened([]hubclient.AuditLog)                  {}
func (e *catalogueEnv) Edit(string, string, int, func(string) tea.Cmd) {}
