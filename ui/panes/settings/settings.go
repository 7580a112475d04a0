// Package settings is the Settings pane: the organization's restricted
// images switches (Image Access Management) shown with their values and
// changed with a before/after diff and a confirmation, and the SCIM page
// pushed from it.
package settings

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// The pane's own actions, by config name.
const (
	ActToggle = "toggle_setting"
	ActSave   = "save_settings"
	ActUndo   = "undo_settings"
	ActSCIM   = "scim"
)

// Entry is the pane's registry line; `:settings scim` opens the SCIM page.
func Entry() pane.Entry {
	return pane.Entry{Kind: state.Settings, Title: "Settings", Command: "settings", Usage: "settings [scim]",
		Help: "org settings (restricted images); scim: SCIM provisioning", Arg: "section", New: func() pane.Pane { return New() }}
}

// switchDef is one restricted images switch.
type switchDef struct {
	name, label, help string
	get               func(*hubclient.RestrictedImages) *bool
}

var switches = []switchDef{
	{"enabled", "Restrict the images members may pull", "when on, members pull only the kinds of images allowed below (Business subscription)",
		func(r *hubclient.RestrictedImages) *bool { return &r.Enabled }},
	{"allow_official_images", "Allow Docker Official Images", "curated images such as alpine, nginx, postgres",
		func(r *hubclient.RestrictedImages) *bool { return &r.AllowOfficialImages }},
	{"allow_verified_publishers", "Allow Docker Verified Publisher images", "images of publishers Docker has verified",
		func(r *hubclient.RestrictedImages) *bool { return &r.AllowVerifiedPublishers }},
}

// Pane shows and changes the org settings.
type Pane struct {
	org    string
	cur    *hubclient.OrgSettings // as the Hub has them
	edit   hubclient.OrgSettings  // as being edited
	err    error
	gen    uint64
	cursor int
	cancel context.CancelFunc
	scim   *SCIM
}

// openSCIM asks the pane to push the SCIM page (from the palette).
type openSCIM struct{}

// New is the pane before its first visit.
func New() *Pane { return &Pane{} }

// Kind is state.Settings.
func (p *Pane) Kind() state.Kind { return state.Settings }

// Title names the tab.
func (p *Pane) Title() string { return "Settings" }

// Busy reports the settings load in flight.
func (p *Pane) Busy() bool { return p.cur == nil && p.err == nil && p.org != "" }

// Scope opens a section: "scim" pushes the SCIM page.
func (p *Pane) Scope(_ pane.Env, scope string) (tea.Cmd, error) {
	if scope != "scim" {
		return nil, fmt.Errorf(":settings takes scim or nothing (got %q)", sanitize.String(scope))
	}
	return func() tea.Msg { return openSCIM{} }, nil
}

// Enter loads the settings of the org.
func (p *Pane) Enter(env pane.Env) tea.Cmd {
	if env.Org() == "" || env.Personal() {
		return nil
	}
	if p.org != env.Org() || p.cur == nil && p.err == nil {
		p.org, p.cur, p.err = env.Org(), nil, nil
		return p.load(env)
	}
	return nil
}

func (p *Pane) load(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.gen = env.NextGen()
	org := p.org
	return list.Call(ctx, state.Key{Kind: state.Settings, Scope: org}, p.gen, func(ctx context.Context) (*hubclient.OrgSettings, error) {
		st, _, err := c.Orgs.GetSettings(ctx, org)
		return st, err
	})
}

// Leave cancels the load.
func (p *Pane) Leave(pane.Env) {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.cur == nil {
		p.org = "" // load again next time
	}
}

// Update takes the load's answer.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case openSCIM:
		p.openSCIM(env)
	case list.Result[*hubclient.OrgSettings]:
		if m.Gen != p.gen {
			return nil
		}
		p.err = m.Err
		if m.Err == nil {
			p.cur = m.Val
			p.edit = *m.Val
		} else {
			env.Fail("settings", fmt.Errorf("load settings of %s: %w", p.org, m.Err))
		}
	}
	return nil
}

func (p *Pane) openSCIM(env pane.Env) {
	if p.scim == nil || p.scim.org != env.Org() {
		p.scim = &SCIM{org: env.Org()}
	}
	env.Push(p.scim)
}

// Move moves the cursor over the switches.
func (p *Pane) Move(_ pane.Env, act string) {
	switch act {
	case pane.ActUp:
		p.cursor = max(0, p.cursor-1)
	case pane.ActDown:
		p.cursor = min(len(switches)-1, p.cursor+1)
	case pane.ActTop:
		p.cursor = 0
	case pane.ActBottom:
		p.cursor = len(switches) - 1
	}
}

// changed lists the switches edited, as "name: before → after".
func (p *Pane) changed() []string {
	if p.cur == nil {
		return nil
	}
	var out []string
	before := p.cur.RestrictedImages
	after := p.edit.RestrictedImages
	for _, s := range switches {
		if b, a := *s.get(&before), *s.get(&after); a != b {
			out = append(out, fmt.Sprintf("%s (%s): %s → %s", s.label, s.name, onOff(b), onOff(a)))
		}
	}
	return out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// Bindings are the pane's keys.
func (p *Pane) Bindings(env pane.Env) []pane.Binding {
	loaded := p.cur != nil
	diff := p.changed()
	save := pane.Gate(env, pane.RoleOwner, loaded)
	if save == "" && len(diff) == 0 {
		save = "nothing changed yet: space switches a setting"
	}
	return []pane.Binding{
		{Action: ActToggle, Keys: []string{"space"}, Help: "switch the setting on or off (saved with enter)", Short: "switch", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, loaded), Run: func() tea.Cmd {
				v := switches[p.cursor].get(&p.edit.RestrictedImages)
				*v = !*v
				return nil
			}},
		{Action: ActSave, Keys: []string{"enter"}, Help: "save the changed settings (shows the diff first)", Short: "save", Mutates: true,
			Disabled: save, Run: func() tea.Cmd { p.askSave(env, diff); return nil }},
		{Action: ActUndo, Keys: []string{"u"}, Help: "undo the changes not saved", Short: "undo", Mutates: true,
			Disabled: map[bool]string{true: "", false: "nothing changed yet"}[len(diff) > 0], Run: func() tea.Cmd {
				p.edit = *p.cur
				return nil
			}},
		{Action: ActSCIM, Keys: []string{"S"}, Help: "SCIM provisioning: provider, schemas, provisioned users", Short: "scim", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, env.Org() != "" && !env.Personal()), Run: func() tea.Cmd { p.openSCIM(env); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "load the settings again (drops changes not saved)", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { p.cur, p.err = nil, nil; return p.load(env) }},
	}
}

// askSave shows the diff and PUTs the settings on confirmation.
func (p *Pane) askSave(env pane.Env, diff []string) {
	org, want := p.org, p.edit
	body := "Before → after:\n" + strings.Join(diff, "\n") + "\n\nThe Hub applies the restrictions to every member's pulls when they sign in to Docker Desktop."
	env.Ask(dialog.NewConfirm("Save the settings of "+org+"?", body, func() tea.Cmd {
		env.Mutate(pane.Change{What: "saving the settings of " + org, Done: "saved the settings of " + org,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				st, _, err := c.Orgs.UpdateSettings(ctx, org, want)
				return func() tea.Cmd {
					if st != nil && p.org == org {
						p.cur = st
						p.edit = *st
					}
					return nil
				}, err
			}})
		return nil
	}))
}

// Status names the unsaved changes.
func (p *Pane) Status(pane.Env) string {
	if n := len(p.changed()); n > 0 {
		return fmt.Sprintf("%d settings changed, not saved", n)
	}
	return ""
}

// View draws the switches with their values.
func (p *Pane) View(env pane.Env, w, h int) string {
	th := env.Theme()
	switch {
	case env.Org() == "":
		return "\n  " + env.Spinner() + " finding your organizations…"
	case env.Personal():
		return "\n  " + text.Wrap(sanitize.String(env.Org())+" is a personal namespace: organization settings do not apply.", w-4, "  ")
	case p.err != nil:
		return "\n  " + th.Error.Render("Could not load the settings of "+sanitize.String(p.org)+".") + "\n\n  " +
			text.Wrap(pane.Describe(p.err), w-4, "  ") + "\n\n  " + th.Dim.Render("Press "+env.Key(pane.ActRefresh)+" to retry.")
	case p.cur == nil:
		return "\n  " + env.Spinner() + " loading the settings…"
	}
	var b strings.Builder
	b.WriteString("\n  " + th.Title.Render("Restricted images (Image Access Management)") + "\n\n")
	for i, s := range switches {
		now := *s.get(&p.edit.RestrictedImages)
		was := *s.get(&p.cur.RestrictedImages)
		mark := "[ ]"
		if now {
			mark = "[x]"
		}
		cur := "  "
		if i == p.cursor {
			cur = "> "
		}
		row := fmt.Sprintf("%s%s %-42s %s", cur, mark, s.label, onOff(now))
		if now != was {
			row += th.Warn.Render(fmt.Sprintf("  (was %s, not saved)", onOff(was)))
		}
		b.WriteString("  " + row + "\n")
		b.WriteString("        " + th.Dim.Render(s.help) + "\n")
	}
	if !p.edit.RestrictedImages.Enabled && (p.edit.RestrictedImages.AllowOfficialImages || p.edit.RestrictedImages.AllowVerifiedPublishers) {
		b.WriteString("\n  " + th.Dim.Render(text.Wrap("The allow switches apply only while the restriction is on.", w-4, "  ")) + "\n")
	}
	b.WriteString("\n  " + th.Dim.Render(text.Wrap("SCIM provisioning: "+env.Key(ActSCIM)+". Registry Access Management is not shown here yet.", w-4, "  ")) + "\n")
	return text.FitBlock(b.String(), h)
}
