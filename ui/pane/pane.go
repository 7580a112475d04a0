// Package pane is the contract between the App and the panes: the Pane
// interface every tab implements, the optional capabilities the App looks
// for, the Env a pane may ask things of, and the Binding that is the one
// source of a pane's keys, footer and help.
//
// A pane never sees the App. Its Cmds' results come back to it alone
// (addressed by the App); everything it wants of the frame — a dialog, a
// change on the Hub, another pane, the clipboard — it asks of its Env.
package pane

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/theme"
)

// Pane is one tab of the console, or one page pushed over it (a detail
// view). The App calls these from Update and View only; a pane never blocks
// and never does I/O itself: it returns Cmds.
type Pane interface {
	Kind() state.Kind
	// Title names the pane in the tabs and, for a pushed page, in the
	// breadcrumbs ("acme/web").
	Title() string
	// Enter is called when the pane is shown; it starts a load when needed.
	Enter(env Env) tea.Cmd
	// Leave cancels the pane's in-flight requests.
	Leave(env Env)
	// Bindings are the pane's keys right now, in footer priority order.
	Bindings(env Env) []Binding
	// Update takes a message addressed to this pane: its own Cmds' results.
	Update(env Env, msg tea.Msg) tea.Cmd
	// View draws the pane in w×h cells.
	View(env Env, w, h int) string
	// Status is the pane's part of the status line (counts, progress).
	Status(env Env) string
}

// Mover is a pane the frame's movement keys move (a list, a scrolling view).
type Mover interface {
	// Move applies a movement action (ActUp, ActPageDown…).
	Move(env Env, action string)
}

// Filterable is a pane the `/` filter applies to.
type Filterable interface {
	// CanFilter reports whether there is something to filter now.
	CanFilter() bool
	Query() string
	SetQuery(env Env, q string) tea.Cmd
}

// Selection is a pane with a row under the cursor: `y` copies its name.
type Selection interface {
	// Selected is the name of what the cursor is on ("acme/web"); false
	// when nothing is.
	Selected() (string, bool)
}

// Crumbs is a pane that names where it is beyond its title
// ("Repos › acme/web › Tags").
type Crumbs interface {
	Crumbs() []string
}

// Catalogue is a pane whose pushed pages have keys of their own: Pages
// returns a fresh one of each, so the keymap (config overrides, their
// checks, the config template test) knows those actions too.
type Catalogue interface {
	Pages() []Pane
}

// Busy is a pane with a load in flight (the header shows it).
type Busy interface {
	Busy() bool
}

// Scoped is a pane that can be opened on something: Tags on a
// repository. Scope checks the scope and points the pane at it.
type Scoped interface {
	Scope(env Env, scope string) (tea.Cmd, error)
}

// Completer is a pane that offers names for the palette to complete with
// ("repo": the repositories it has loaded).
type Completer interface {
	Complete(what string, yield func(string) bool)
}

// Live is a pane showing things the audit log reports changes of. While the
// Audit pane follows the log it hands what arrived to the App (Env.Happened),
// which asks each live pane whether it is affected: a pane on screen reloads
// (at most once every LiveEvery), one off screen reloads when next entered.
type Live interface {
	// Affected reports whether one of evs changed what the pane shows.
	Affected(env Env, evs []hubclient.AuditLog) bool
	// Reload loads what the pane shows again, in the background: the rows
	// on screen stay until the new ones land, and the cursor stays on the
	// item it was on.
	Reload(env Env) tea.Cmd
}

// Touches reports whether one of evs is of one of actions (full names:
// repo.create) and, when keep is not nil, keep accepts it: the usual body
// of Live.Affected.
func Touches(evs []hubclient.AuditLog, keep func(hubclient.AuditLog) bool, actions ...string) bool {
	return slices.ContainsFunc(evs, func(e hubclient.AuditLog) bool {
		return slices.Contains(actions, e.Action) && (keep == nil || keep(e))
	})
}

// LiveEvery is the shortest time between two reloads of a live pane: a
// burst of events makes one reload now and at most one more at its end.
const LiveEvery = 2 * time.Second

// Role is the signed-in user's role in the organization shown.
type Role int

// The roles, least first. RoleUnknown gates nothing: the Hub decides.
const (
	RoleUnknown Role = iota
	RoleMember
	RoleEditor
	RoleOwner
)

// String is "owner", "editor", "member" or "unknown".
func (r Role) String() string {
	switch r {
	case RoleMember:
		return "member"
	case RoleEditor:
		return "editor"
	case RoleOwner:
		return "owner"
	}
	return "unknown"
}

// Resized reaches the pages of the tab on screen when the terminal's size
// changes, with the body's size (Env.Size): a page that renders ahead of
// View (Markdown) renders again. A page entered later reads Env.Size.
type Resized struct{ W, H int }

// Change is one change on the Hub, run by the App within a timeout, never
// retried on its own, always reported. Apply runs in Update once it is done
// (also after a partial failure) and only while the same session is on
// screen; its Cmd comes back to the pane that asked.
type Change struct {
	What string // "deleting acme/web"
	Done string // "deleted acme/web"
	Run  func(ctx context.Context, c *hubclient.Client) (apply func() tea.Cmd, err error)
	// Failed, when set, runs in Update after the change failed outright
	// (the error is on the status line too): a form asks again with the
	// server's complaint beside its field and what was typed still in it.
	Failed func(err error) tea.Cmd
}

// Bulk is a change made of one request per item, run one at a time with a
// progress dialog that shows each item's result and can stop the rest.
// Apply gets the items that went through, in Update.
type Bulk struct {
	What  string // "deleting 206 tags of acme/big"
	Done  string // "deleted 206 tags of acme/big"
	Title string // the progress dialog's title
	Items []string
	Do    func(ctx context.Context, c *hubclient.Client, item string) error
	Apply func(done []string) tea.Cmd
}

// Env is what a pane may ask of the App. Each pane gets its own: what it
// does through it (Cmds, dialogs, changes) is addressed to that pane.
type Env interface {
	// Client is the signed-in client; nil while signing in.
	Client() *hubclient.Client
	// Org is the organization (or personal namespace) shown; "" until chosen.
	Org() string
	User() string
	// Personal reports whether Org is the user's own namespace.
	Personal() bool
	// Role is the user's role in Org, RoleUnknown until the Hub said.
	Role() Role
	ReadOnly() bool
	Theme() *theme.Theme
	Now() time.Time
	// NextGen hands out a load generation, newer than every one before.
	NextGen() uint64
	// Spinner is the spinner's current frame.
	Spinner() string
	// Size is the body's size in cells: what View will be given.
	Size() (w, h int)
	// Cache keeps collections between visits for this session.
	Cache() *state.Cache
	// Key is the label of the key bound to action ("t"), for texts that
	// tell the user what to press.
	Key(action string) string

	// Say puts what just happened on the status line for a while.
	Say(s string)
	// Fail shows err; owner names what it is about (a list's key, its
	// marks) so Clear(owner) takes it away with its cause; "" lets it
	// linger for a while.
	Fail(owner string, err error)
	// Clear removes the error owner put up, if it is still shown.
	Clear(owner string)
	// Ask pushes a dialog over the pane.
	Ask(d dialog.Dialog)
	// Mutate runs a change on the Hub.
	Mutate(c Change)
	// MutateEach runs a change of many requests with a progress dialog.
	MutateEach(b Bulk)
	// Open shows the pane of kind k (on scope, when not "").
	Open(k state.Kind, scope string)
	// Push shows p over this pane in the same tab (list → detail); esc pops it.
	Push(p Pane)
	// Pop closes this pane when it was pushed.
	Pop()
	// Copy puts s on the clipboard (OSC 52, tmux-wrapped in tmux).
	Copy(s string)
	// Bell rings the terminal's bell (BEL) once.
	Bell()
	// Do runs cmd; its result comes back to this pane.
	Do(cmd tea.Cmd)
	// Happened hands the App the events the audit log just delivered, so
	// the live panes showing what they are about load it again.
	Happened(evs []hubclient.AuditLog)
	// Edit lets the user edit text: in $VISUAL or $EDITOR on a temporary
	// file (0600, removed afterwards), else in a text area over the pane.
	// done gets the text when it was saved, in Update; nothing typed is
	// lost when the editor fails (the text area opens with it).
	Edit(title, initial string, limit int, done func(text string) tea.Cmd)
}

// Entry is one line of the registry: a tab and its palette command.
type Entry struct {
	Kind  state.Kind
	Title string
	// Command is the palette's name for it ("repos"); Usage and Help
	// describe it in the help ("tags NS/REPO", "tags of a repository").
	Command, Usage, Help string
	// Arg is what the command's argument completes from ("repo"); "" when
	// it takes none.
	Arg string
	// Hidden entries are reached by their command only (:search): no tab
	// of their own in the tab line, no number key.
	Hidden bool
	New    func() Pane
}
