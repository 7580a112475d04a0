package repos

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// ActImmutable edits a repository's immutable tags settings.
const ActImmutable = "immutable_tags"

// maxImmutableRules is how many rules the form offers.
const maxImmutableRules = 6

// verifiedMsg is what the Hub says each rule matches today.
type verifiedMsg struct {
	gen     uint64
	enabled bool
	rules   []string
	matches [][]string
	err     error
}

// immutableBinding edits the immutable tags switch and rules: each rule is
// checked as it is typed, then the Hub's verify shows which existing tags
// the rules match before anything is saved.
func (d *Detail) immutableBinding(env pane.Env) pane.Binding {
	why := pane.Gate(env, pane.RoleEditor, d.info != nil)
	if d.info == nil && d.infoErr == nil {
		why = "the details are still loading"
	}
	return pane.Binding{Action: ActImmutable, Keys: []string{"m"}, Help: "immutable tags: switch and rules (verified before saving)", Short: "immutable",
		Mutates: true, Disabled: why, Run: func() tea.Cmd { d.askImmutable(env, nil); return nil }}
}

// askImmutable opens the form (again, with what was typed, after a refusal).
func (d *Detail) askImmutable(env pane.Env, form *dialog.Form) {
	if form == nil {
		cur := d.info.ImmutableTagsSettings
		on := "off"
		if cur.Enabled {
			on = "on"
		}
		fields := []dialog.Field{{Key: "enabled", Label: "Immutable tags", Choices: []string{"on", "off"}, Initial: on,
			Help: "on: a tag matching a rule can be neither pushed over nor deleted"}}
		for i := range maxImmutableRules {
			f := dialog.Field{Key: "rule" + strconv.Itoa(i), Label: fmt.Sprintf("Rule %d", i+1), Check: checkRule,
				Help: `a regular expression over tag names, like ^v[0-9]+\.[0-9]+\.[0-9]+$; empty for none`}
			if i < len(cur.Rules) {
				f.Initial = cur.Rules[i]
			}
			fields = append(fields, f)
		}
		full := fullName(d.repo)
		form = dialog.NewForm("Immutable tags of "+full, "", fields, nil)
	}
	f := form
	f.OnSubmit(func(v map[string]string) tea.Cmd {
		var rules []string
		for i := range maxImmutableRules {
			if r := strings.TrimSpace(v["rule"+strconv.Itoa(i)]); r != "" {
				rules = append(rules, r)
			}
		}
		d.form = f
		return d.verify(env, v["enabled"] == "on", rules)
	})
	env.Ask(f)
}

// checkRule refuses what is not a regular expression, as it is typed.
func checkRule(v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if _, err := regexp.Compile(v); err != nil {
		return fmt.Errorf("not a regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return nil
}

// verify asks the Hub which tags each rule matches, in a Cmd.
func (d *Detail) verify(env pane.Env, enabled bool, rules []string) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	d.verifyGen = env.NextGen()
	gen, ns, name := d.verifyGen, d.repo.Namespace, d.repo.Name
	env.Say("verifying the rules…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
		defer cancel()
		m := verifiedMsg{gen: gen, enabled: enabled, rules: rules}
		for _, r := range rules {
			tags, _, err := c.Repos.VerifyImmutableTags(ctx, ns, name, r)
			if err != nil {
				m.err = fmt.Errorf("rule %q: %w", r, err)
				return m
			}
			m.matches = append(m.matches, tags)
		}
		return m
	}
}

// onVerified shows what the rules match and asks before saving.
func (d *Detail) onVerified(env pane.Env, m verifiedMsg) {
	if m.gen != d.verifyGen {
		return
	}
	env.Say("")
	form := d.form
	if m.err != nil {
		formErrors(form, m.err)
		d.askImmutable(env, form)
		return
	}
	full := fullName(d.repo)
	var b strings.Builder
	state := "off"
	if m.enabled {
		state = "on"
	}
	fmt.Fprintf(&b, "Immutable tags: %s.\n", state)
	if len(m.rules) == 0 {
		b.WriteString("No rules.\n")
	}
	for i, r := range m.rules {
		tags := m.matches[i]
		shown := tags
		if len(shown) > 8 {
			shown = append(shown[:8:8], fmt.Sprintf("… and %d more", len(tags)-8))
		}
		fmt.Fprintf(&b, "\n%s matches %d tag(s) today", sanitize.String(r), len(tags))
		if len(shown) > 0 {
			b.WriteString(": " + sanitize.String(strings.Join(shown, ", ")))
		}
		b.WriteString(".")
	}
	if m.enabled {
		b.WriteString("\n\nMatching tags can then be neither pushed over nor deleted.")
	}
	env.Ask(dialog.NewConfirm("Save the immutable tags of "+full+"?", b.String(), func() tea.Cmd {
		d.rootEnv.Mutate(pane.Change{What: "saving the immutable tags of " + full, Done: "saved the immutable tags of " + full,
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				info, _, err := c.Repos.UpdateImmutableTags(ctx, d.repo.Namespace, d.repo.Name, hubclient.ImmutableTagsRequest{Enabled: m.enabled, Rules: m.rules})
				return func() tea.Cmd { return d.root.updated(full, info, func(*hubclient.Repository) {}) }, err
			},
			Failed: func(err error) tea.Cmd {
				formErrors(form, err)
				d.askImmutable(env, form)
				return nil
			}})
		return nil
	}))
}
