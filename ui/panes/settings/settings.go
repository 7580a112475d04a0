// Package settings is the Settings pane: the organization's restricted
// images switches (Image Access Management) shown with their values and
// changed with a before/after diff and a confirmation, and the SCIM page
// pushed from it.
package settings

import (
	"context"
	"fmt"
	"reflect"
	"slices"
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

// values are the settings a switch reads and changes.
type values struct {
	ri  hubclient.RestrictedImages
	ram *hubclient.RegistryAccess // nil where the Hub did not answer it
}

// clone copies v deeply, so an edit does not change what the Hub said.
func (v values) clone() values {
	if v.ram != nil {
		r := *v.ram
		r.StandardRegistries = slices.Clone(r.StandardRegistries)
		r.CustomRegistries = slices.Clone(r.CustomRegistries)
		v.ram = &r
	}
	return v
}

// switchDef is one switch of the page.
type switchDef struct {
	section, name, label, help string
	// get points at the switch's value in v, nil where v lacks it.
	get func(v *values) *bool
}

const (
	sectionImages   = "Restricted images (Image Access Management)"
	sectionRegistry = "Registry Access Management"
)

var switches = []switchDef{
	{sectionImages, "enabled", "Restrict the images members may pull", "when on, members pull only the kinds of images allowed below (Business subscription)",
		func(v *values) *bool { return &v.ri.Enabled }},
	{sectionImages, "allow_official_images", "Allow Docker Official Images", "curated images such as alpine, nginx, postgres",
		func(v *values) *bool { return &v.ri.AllowOfficialImages }},
	{sectionImages, "allow_verified_publishers", "Allow Docker Verified Publisher images", "images of publishers Docker has verified",
		func(v *values) *bool { return &v.ri.AllowVerifiedPublishers }},
	{sectionRegistry, "registry_access.enabled", "Restrict the registries members may use", "when on, Docker Desktop lets members pull and push only with the registries allowed",
		func(v *values) *bool {
			if v.ram == nil {
				return nil
			}
			return &v.ram.Enabled
		}},
	{sectionRegistry, "registry_access.DockerHub", "Allow Docker Hub", "docker.io, while the registry restriction is on",
		func(v *values) *bool {
			if v.ram == nil {
				return nil
			}
			for i := range v.ram.StandardRegistries {
				if v.ram.StandardRegistries[i].ID == "DockerHub" {
					return &v.ram.StandardRegistries[i].Allowed
				}
			}
			return nil
		}},
}

// Pane shows and changes the org settings.
type Pane struct {
	org    string
	loaded bool   // the restricted images answered
	cur    values // as the Hub has them
	edit   values // as being edited
	err    error
	ramErr error // Registry Access Management did not answer
	gen    uint64
	cursor int
	cancel context.CancelFunc
	scim   *SCIM
}

// loadedMsg is what the settings load answered.
type loadedMsg struct {
	ri     hubclient.RestrictedImages
	ram    *hubclient.RegistryAccess
	ramErr error
}

// openSCIM asks the pane to push the SCIM page (from the palette).
type openSCIM struct{}

// New is the pane before its first visit.
func New() *Pane { return &Pane{} }

// Pages are the pages pushed over Settings, for the keymap.
func (p *Pane) Pages() []pane.Pane { return []pane.Pane{&SCIM{}} }

// Kind is state.Settings.
func (p *Pane) Kind() state.Kind { return state.Settings }

// Title names the tab.
func (p *Pane) Title() string { return "Settings" }

// Busy reports the settings load in flight.
func (p *Pane) Busy() bool { return !p.loaded && p.err == nil && p.org != "" }

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
	if p.org != env.Org() || !p.loaded && p.err == nil {
		p.org = env.Org()
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
	p.loaded, p.err, p.ramErr = false, nil, nil
	p.cur, p.edit = values{}, values{}
	org := p.org
	return list.Call(ctx, state.Key{Kind: state.Settings, Scope: org}, p.gen, func(ctx context.Context) (loadedMsg, error) {
		st, _, err := c.Orgs.GetSettings(ctx, org)
		if err != nil {
			return loadedMsg{}, err
		}
		ram, _, ramErr := c.Orgs.GetRegistryAccess(ctx, org)
		return loadedMsg{ri: st.RestrictedImages, ram: ram, ramErr: ramErr}, nil
	})
}

// Leave cancels the load.
func (p *Pane) Leave(pane.Env) {
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if !p.loaded {
		p.org = "" // load again next time
	}
}

// Update takes the load's answer.
func (p *Pane) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case openSCIM:
		p.openSCIM(env)
	case list.Result[loadedMsg]:
		if m.Gen != p.gen {
			return nil
		}
		p.err = m.Err
		if m.Err == nil {
			p.loaded = true
			p.cur = values{ri: m.Val.ri, ram: m.Val.ram}
			p.edit = p.cur.clone()
			p.ramErr = m.Val.ramErr
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
	last := len(switches) - 1
	for last > 0 && switches[last].get(&p.edit) == nil {
		last--
	}
	defer func() { p.cursor = max(0, min(p.cursor, last)) }()
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
	if !p.loaded {
		return nil
	}
	var out []string
	for _, s := range switches {
		b, a := s.get(&p.cur), s.get(&p.edit)
		if b != nil && a != nil && *a != *b {
			out = append(out, fmt.Sprintf("%s (%s): %s → %s", s.label, s.name, onOff(*b), onOff(*a)))
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
	loaded := p.loaded
	diff := p.changed()
	save := pane.Gate(env, pane.RoleOwner, loaded)
	if save == "" && len(diff) == 0 {
		save = "nothing changed yet: space switches a setting"
	}
	return []pane.Binding{
		{Action: ActToggle, Keys: []string{"space"}, Help: "switch the setting on or off (saved with enter)", Short: "switch", Mutates: true,
			Disabled: pane.Gate(env, pane.RoleOwner, loaded), Run: func() tea.Cmd {
				if v := switches[p.cursor].get(&p.edit); v != nil {
					*v = !*v
				}
				return nil
			}},
		{Action: ActSave, Keys: []string{"enter"}, Help: "save the changed settings (shows the diff first)", Short: "save", Mutates: true,
			Disabled: save, Run: func() tea.Cmd { p.askSave(env, diff); return nil }},
		{Action: ActUndo, Keys: []string{"u"}, Help: "undo the changes not saved", Short: "undo", Mutates: true,
			Disabled: map[bool]string{true: "", false: "nothing changed yet"}[len(diff) > 0], Run: func() tea.Cmd {
				p.edit = p.cur.clone()
				return nil
			}},
		{Action: ActSCIM, Keys: []string{"S"}, Help: "SCIM provisioning: provider, schemas, provisioned users", Short: "scim", Group: pane.GroupPanes,
			Disabled: pane.Gate(env, pane.RoleUnknown, env.Org() != "" && !env.Personal()), Run: func() tea.Cmd { p.openSCIM(env); return nil }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "load the settings again (drops changes not saved)", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return p.load(env) }},
	}
}

// askSave shows the diff and PUTs what changed on confirmation: the
// restricted images, then Registry Access Management.
func (p *Pane) askSave(env pane.Env, diff []string) {
	org, was, want := p.org, p.cur.clone(), p.edit.clone()
	body := "Before → after:\n" + strings.Join(diff, "\n") + "\n\nThe Hub applies the restrictions to members signed in to Docker Desktop."
	env.Ask(dialog.NewConfirm("Save the settings of "+org+"?", body, func() tea.Cmd {
		env.Mutate(pane.Change{What: "saving the settings of " + org, Done: "saved the settings of " + org,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				got := was
				var err error
				if want.ri != was.ri {
					var st *hubclient.OrgSettings
					st, _, err = c.Orgs.UpdateSettings(ctx, org, hubclient.OrgSettings{RestrictedImages: want.ri})
					if st != nil {
						got.ri = st.RestrictedImages
					}
				}
				if err == nil && want.ram != nil && !reflect.DeepEqual(want.ram, was.ram) {
					var ra *hubclient.RegistryAccess
					ra, _, err = c.Orgs.UpdateRegistryAccess(ctx, org, *want.ram)
					if ra != nil {
						got.ram = ra
					}
				}
				return func() tea.Cmd {
					if p.org == org && p.loaded {
						p.cur = got
						p.edit = got.clone()
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
	case !p.loaded:
		return "\n  " + env.Spinner() + " loading the settings…"
	}
	var b strings.Builder
	section := ""
	for i, s := range switches {
		if s.section != section {
			section = s.section
			b.WriteString("\n  " + th.Title.Render(section) + "\n")
			if section == sectionRegistry && p.edit.ram == nil {
				why := "the Hub did not answer"
				if p.ramErr != nil {
					why = pane.Describe(p.ramErr)
				}
				b.WriteString("    " + th.Dim.Render(text.Wrap("Not offered here: "+why, w-6, "    ")) + "\n")
			}
		}
		nowP, wasP := s.get(&p.edit), s.get(&p.cur)
		if nowP == nil || wasP == nil {
			continue
		}
		now, was := *nowP, *wasP
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
		b.WriteString("        " + th.Dim.Render(text.Truncate(s.help, w-8)) + "\n")
	}
	if ram := p.edit.ram; ram != nil {
		if len(ram.CustomRegistries) == 0 {
			b.WriteString("    " + th.Dim.Render("no other registries listed") + "\n")
		}
		for _, r := range ram.CustomRegistries {
			b.WriteString("    " + text.Truncate(sanitize.String(fmt.Sprintf("%s %s (%s)", r.Address, text.OrDash(r.FriendlyName), allowed(r.Allowed))), w-4) + "\n")
		}
	}
	b.WriteString("\n  " + th.Dim.Render(text.Wrap("SCIM provisioning: "+env.Key(ActSCIM)+".", w-4, "  ")) + "\n")
	return text.FitBlock(b.String(), h)
}

func allowed(b bool) string {
	if b {
		return "allowed"
	}
	return "not allowed"
}
