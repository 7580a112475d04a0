package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Action is something a key does. Actions, not keys, are what the panes
// handle; the keymap maps keys to actions and builds the help and footer.
type Action string

// The actions. Their names are the keys of the `keys:` section of the config file.
const (
	ActUp          Action = "up"
	ActDown        Action = "down"
	ActTop         Action = "top"
	ActBottom      Action = "bottom"
	ActHalfDown    Action = "half_page_down"
	ActHalfUp      Action = "half_page_up"
	ActPageDown    Action = "page_down"
	ActPageUp      Action = "page_up"
	ActNextPane    Action = "next_pane"
	ActPrevPane    Action = "prev_pane"
	ActOpen        Action = "open"
	ActBack        Action = "back"
	ActFilter      Action = "filter"
	ActCommand     Action = "command"
	ActHelp        Action = "help"
	ActMark        Action = "mark"
	ActMarkAll     Action = "mark_all"
	ActSort        Action = "sort"
	ActSortReverse Action = "sort_reverse"
	ActRefresh     Action = "refresh"
	ActCopy        Action = "copy"
	ActQuit        Action = "quit"
	ActTags        Action = "tags"
	ActNew         Action = "new"
	ActEdit        Action = "edit"
	ActPrivacy     Action = "toggle_visibility"
	ActDelete      Action = "delete"
	ActPane1       Action = "pane_1"
	ActPane2       Action = "pane_2"
	ActPane3       Action = "pane_3"
	ActPane4       Action = "pane_4"
	ActPane5       Action = "pane_5"
	ActPane6       Action = "pane_6"
	ActPane7       Action = "pane_7"
	ActPane8       Action = "pane_8"
)

// Binding is one action's keys and how help describes it.
type Binding struct {
	Action  Action
	Keys    []string
	Label   string // short key label for the footer, e.g. "j/k"
	Help    string // what it does
	Group   string // help section
	Mutates bool   // hidden and disabled in read-only mode
}

// Keymap maps keys to actions.
type Keymap struct {
	bindings []Binding
	byKey    map[string]Action
}

// DefaultKeymap follows k9s and vim conventions.
func DefaultKeymap() Keymap {
	b := []Binding{
		{ActUp, []string{"k", "up"}, "k/↑", "move up", "Move", false},
		{ActDown, []string{"j", "down"}, "j/↓", "move down", "Move", false},
		{ActTop, []string{"g", "home"}, "g", "first row", "Move", false},
		{ActBottom, []string{"G", "end"}, "G", "last row", "Move", false},
		{ActHalfDown, []string{"ctrl+d"}, "^d", "half page down", "Move", false},
		{ActHalfUp, []string{"ctrl+u"}, "^u", "half page up", "Move", false},
		{ActPageDown, []string{"pgdown", "ctrl+f"}, "pgdn", "page down", "Move", false},
		{ActPageUp, []string{"pgup", "ctrl+b"}, "pgup", "page up", "Move", false},
		{ActNextPane, []string{"tab"}, "tab", "next pane", "Panes", false},
		{ActPrevPane, []string{"shift+tab"}, "S-tab", "previous pane", "Panes", false},
		{ActPane1, []string{"1"}, "1", "Repos", "Panes", false},
		{ActPane2, []string{"2"}, "2", "Tags", "Panes", false},
		{ActPane3, []string{"3"}, "3", "Teams", "Panes", false},
		{ActPane4, []string{"4"}, "4", "Members", "Panes", false},
		{ActPane5, []string{"5"}, "5", "Invites", "Panes", false},
		{ActPane6, []string{"6"}, "6", "Tokens", "Panes", false},
		{ActPane7, []string{"7"}, "7", "Audit", "Panes", false},
		{ActPane8, []string{"8"}, "8", "Settings", "Panes", false},
		{ActOpen, []string{"enter"}, "enter", "open", "Panes", false},
		{ActBack, []string{"esc"}, "esc", "back", "Panes", false},
		{ActTags, []string{"t"}, "t", "tags of this repository", "Panes", false},
		{ActFilter, []string{"/"}, "/", "fuzzy filter", "Find", false},
		{ActCommand, []string{":"}, ":", "command palette", "Find", false},
		{ActSort, []string{"s"}, "s", "sort by next column", "Find", false},
		{ActSortReverse, []string{"S"}, "S", "reverse sort", "Find", false},
		{ActMark, []string{"space"}, "space", "mark row", "Select", false},
		{ActMarkAll, []string{"ctrl+a"}, "^a", "mark all visible", "Select", false},
		{ActCopy, []string{"y"}, "y", "copy name (OSC 52)", "Select", false},
		{ActNew, []string{"n"}, "n", "new repository", "Actions", true},
		{ActEdit, []string{"e"}, "e", "edit description", "Actions", true},
		{ActPrivacy, []string{"p"}, "p", "make public / private", "Actions", true},
		{ActDelete, []string{"D"}, "D", "delete (asks first)", "Actions", true},
		{ActRefresh, []string{"r"}, "r", "refresh", "General", false},
		{ActHelp, []string{"?"}, "?", "help", "General", false},
		{ActQuit, []string{"q", "ctrl+c"}, "q", "quit", "General", false},
	}
	k := Keymap{bindings: b}
	k.index()
	return k
}

func (k *Keymap) index() {
	k.byKey = map[string]Action{}
	for _, b := range k.bindings {
		for _, key := range b.Keys {
			k.byKey[key] = b.Action
		}
	}
}

// KeyError is a key override the keymap cannot take; Action names it.
type KeyError struct {
	Action string
	Msg    string
}

// Error is "keys.ACTION: msg".
func (e *KeyError) Error() string { return "keys." + e.Action + ": " + e.Msg }

// WithOverrides replaces the keys of the named actions (from the config
// file); an empty list unbinds the action. An unknown action or a key bound
// twice is an error naming it.
func (k Keymap) WithOverrides(over map[string][]string) (Keymap, error) {
	out := Keymap{bindings: slices.Clone(k.bindings)}
	names := make([]string, 0, len(over))
	for n := range over {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		keys := over[name]
		i := slices.IndexFunc(out.bindings, func(b Binding) bool { return string(b.Action) == name })
		if i < 0 {
			return k, &KeyError{Action: name, Msg: fmt.Sprintf("unknown action %q (known: %s)", name, strings.Join(k.actionNames(), ", "))}
		}
		out.bindings[i].Keys = slices.Clone(keys)
		out.bindings[i].Label = ""
		if len(keys) > 0 {
			out.bindings[i].Label = keys[0]
		}
	}
	seen := map[string]Action{}
	for _, b := range out.bindings {
		for _, key := range b.Keys {
			if prev, dup := seen[key]; dup {
				blame := b.Action // point at whichever of the two was overridden
				if _, ok := over[string(prev)]; ok {
					blame = prev
				}
				return k, &KeyError{Action: string(blame), Msg: fmt.Sprintf("%q is bound to both %s and %s", key, prev, b.Action)}
			}
			seen[key] = b.Action
		}
	}
	out.index()
	return out, nil
}

func (k Keymap) actionNames() []string {
	out := make([]string, len(k.bindings))
	for i, b := range k.bindings {
		out[i] = string(b.Action)
	}
	return out
}

// Lookup returns the action of key ("j", "ctrl+d", "space").
func (k Keymap) Lookup(key string) (Action, bool) {
	a, ok := k.byKey[key]
	return a, ok
}

// Bindings returns every binding in help order.
func (k Keymap) Bindings() []Binding { return slices.Clone(k.bindings) }

// Binding returns the binding of a.
func (k Keymap) Binding(a Action) Binding {
	for _, b := range k.bindings {
		if b.Action == a {
			return b
		}
	}
	return Binding{Action: a}
}

// Groups returns the bindings grouped for help, in a stable order, leaving
// out mutating ones in read-only mode and actions the filter rejects.
func (k Keymap) Groups(readOnly bool, keep func(Action) bool) [][]Binding {
	order := []string{"Move", "Panes", "Find", "Select", "Actions", "General"}
	var out [][]Binding
	for _, g := range order {
		var group []Binding
		for _, b := range k.bindings {
			if b.Group != g || len(b.Keys) == 0 || (readOnly && b.Mutates) || (keep != nil && !keep(b.Action)) {
				continue
			}
			group = append(group, b)
		}
		if len(group) > 0 {
			out = append(out, group)
		}
	}
	return out
}
