package repos

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// The changes below are asked for with the list's Env (env): their
// results update the list, and the detail page open on the same repository.

// deleteBinding deletes r once its name is typed.
func (p *Pane) deleteBinding(env pane.Env, r hubclient.Repository, ok bool) pane.Binding {
	full := fullName(r)
	return pane.Binding{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete repository (type its name)", Short: "delete",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleEditor, ok), Run: func() tea.Cmd {
			env.Ask(dialog.NewTyped("Delete repository "+full,
				"This deletes "+full+" with every tag and image in it. Pulls of it will fail. It cannot be undone.", full,
				func() tea.Cmd {
					env.Mutate(pane.Change{What: "deleting " + full, Done: "deleted " + full,
						Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
							_, err := c.Repos.Delete(ctx, r.Namespace, r.Name)
							return func() tea.Cmd { return p.forget(full) }, err
						}})
					return nil
				}))
			return nil
		}}
}

// visibilityBinding makes r public or private, asking first.
func (p *Pane) visibilityBinding(env pane.Env, r hubclient.Repository, ok bool) pane.Binding {
	full := fullName(r)
	return pane.Binding{Action: ActVisibility, Keys: []string{"p"}, Help: "make public / private", Short: "visibility",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleEditor, ok), Run: func() tea.Cmd {
			to, why := "public", "Anyone will be able to find and pull it."
			if !r.IsPrivate {
				to, why = "private", "Only people with access will be able to pull it."
			}
			private := !r.IsPrivate
			env.Ask(dialog.NewConfirm("Make "+full+" "+to+"?", why, func() tea.Cmd {
				env.Mutate(pane.Change{What: "making " + full + " " + to, Done: full + " is now " + to,
					Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
						info, _, err := c.Repos.Update(ctx, r.Namespace, r.Name, &hubclient.RepositoryUpdateRequest{IsPrivate: &private})
						return func() tea.Cmd {
							return p.updated(full, info, func(x *hubclient.Repository) { x.IsPrivate = private })
						}, err
					}})
				return nil
			}))
			return nil
		}}
}

// editBinding edits r's one-line description.
func (p *Pane) editBinding(env pane.Env, r hubclient.Repository, ok bool) pane.Binding {
	full := fullName(r)
	return pane.Binding{Action: pane.ActEdit, Keys: []string{"e"}, Help: "edit description", Short: "edit",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleEditor, ok), Run: func() tea.Cmd {
			shown := sanitize.String(r.Description)
			body := fmt.Sprintf("One line, at most %d characters.", hubclient.MaxRepoDescriptionLength)
			if shown != r.Description {
				body += " The current text holds characters that cannot be shown (controls, invisible or bidi marks); saving drops them."
			}
			env.Ask(dialog.NewPrompt("Description of "+full, body, shown, 0, checkDescription, func(v string) tea.Cmd {
				if v == shown {
					env.Say("description unchanged")
					return nil // enter without an edit sends nothing
				}
				env.Mutate(pane.Change{What: "saving the description of " + full, Done: "saved the description of " + full,
					Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
						info, _, err := c.Repos.Update(ctx, r.Namespace, r.Name, &hubclient.RepositoryUpdateRequest{Description: &v})
						return func() tea.Cmd {
							return p.updated(full, info, func(x *hubclient.Repository) { x.Description = v })
						}, err
					}})
				return nil
			}))
			return nil
		}}
}

// checkDescription applies the Hub's rule before anything is sent.
func checkDescription(v string) error {
	if n := utf8.RuneCountInString(v); n > hubclient.MaxRepoDescriptionLength {
		return fmt.Errorf("the description has %d characters; the Hub takes at most %d", n, hubclient.MaxRepoDescriptionLength)
	}
	if strings.ContainsAny(v, "\n\r") {
		return fmt.Errorf("the description is one line")
	}
	return nil
}

// createBinding asks for a new repository's name, then its visibility.
func (p *Pane) createBinding(env pane.Env) pane.Binding {
	return pane.Binding{Action: pane.ActNew, Keys: []string{"n"}, Help: "new repository", Short: "new",
		Mutates: true, Disabled: pane.Gate(env, pane.RoleEditor, env.Org() != ""), Run: func() tea.Cmd {
			p.askCreate(env)
			return nil
		}}
}

// askCreate asks for a new repository in a form: namespace, name (checked
// against the Hub's rule as it is typed), short description with a
// counter, visibility, and whether to write a README next (in $EDITOR).
// A server's complaint (409: it exists) shows beside its field in the same
// form, with everything typed still there.
func (p *Pane) askCreate(env pane.Env) {
	coll, scope := p.L.Coll(), p.L.Scope()
	namespaces := []string{env.Org()}
	if u := env.User(); u != "" && u != env.Org() {
		namespaces = append(namespaces, u)
	}
	var form *dialog.Form
	var nsOf func() string
	form = dialog.NewForm("New repository", "", []dialog.Field{
		{Key: "namespace", Label: "Namespace", Choices: namespaces, Initial: env.Org()},
		{Key: "name", Label: "Name", Limit: 255, Help: "lower-case letters and digits, with single . _ or - between them; 2 to 255 characters",
			Check: func(v string) error {
				if !hubclient.ValidRepositoryName(v) {
					return fmt.Errorf("%q is not a valid repository name: lower-case letters and digits, single . _ or - between them, 2 to 255 characters", v)
				}
				if nsOf() == scope && coll.Find(func(r hubclient.Repository) bool { return r.Name == v }) >= 0 {
					return fmt.Errorf("%s/%s already exists", scope, v)
				}
				return nil
			}},
		{Key: "description", Label: "Short description", Limit: hubclient.MaxRepoDescriptionLength, Counter: true, Check: checkDescription},
		{Key: "visibility", Label: "Visibility", Choices: []string{"private", "public"},
			Help: "private: only people with access can pull it; public: anyone can find and pull it"},
		{Key: "readme", Label: "README", Choices: []string{"none", "write it next"}, Help: "the full description, in $EDITOR (or here when none is set)"},
	}, func(v map[string]string) tea.Cmd {
		in := &hubclient.RepositoryCreateRequest{Name: v["name"], Description: v["description"], IsPrivate: v["visibility"] == "private"}
		ns := v["namespace"]
		if v["readme"] == "none" {
			p.create(env, form, ns, in)
			return nil
		}
		env.Edit("README of "+ns+"/"+in.Name, "# "+in.Name+"\n\n"+in.Description+"\n", hubclient.MaxRepoFullDescriptionLength, func(text string) tea.Cmd {
			in.FullDescription = text
			p.create(env, form, ns, in)
			return nil
		})
		return nil
	})
	nsOf = func() string { return form.Values()["namespace"] }
	env.Ask(form)
}

// create sends in; a refusal opens form again with the server's words
// beside the field it is about.
func (p *Pane) create(env pane.Env, form *dialog.Form, ns string, in *hubclient.RepositoryCreateRequest) {
	coll := p.L.Coll()
	full := ns + "/" + in.Name
	env.Mutate(pane.Change{What: "creating " + full, Done: "created " + full,
		Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
			info, _, err := c.Repos.Create(ctx, ns, in)
			return func() tea.Cmd {
				if info == nil || p.L.Coll() != coll || info.Namespace != p.L.Scope() {
					return nil
				}
				// One new row, in name order, instead of reloading the whole org.
				at := sort.Search(len(coll.Items), func(i int) bool { return coll.Items[i].Name >= info.Name })
				p.L.KeepCursor()
				coll.Insert(at, repositoryOf(info))
				return p.L.ItemsChanged()
			}, err
		},
		Failed: func(err error) tea.Cmd {
			formErrors(form, err)
			env.Ask(form)
			return nil
		}})
}

// formErrors puts a refusal beside the fields it names: the Hub's field
// errors, a 409 on the name, anything else above the keys.
func formErrors(form *dialog.Form, err error) {
	var ve *hubclient.ValidationError
	var ae *hubclient.APIError
	switch {
	case errors.As(err, &ve):
		form.SetError(ve.Field, ve.Error())
	case errors.As(err, &ae) && len(ae.Fields) > 0:
		for k, msgs := range ae.Fields {
			form.SetError(k, strings.Join(msgs, "; "))
		}
	case errors.As(err, &ae) && ae.StatusCode == http.StatusConflict:
		form.SetError("name", pane.Describe(err))
	default:
		form.SetError("", pane.Describe(err))
	}
}

// forget drops a deleted repository from the list and closes its detail page.
func (p *Pane) forget(full string) tea.Cmd {
	if p.open != nil && fullName(p.open.repo) == full {
		p.open.close()
	}
	coll := p.L.Coll()
	coll.Remove(coll.Find(func(r hubclient.Repository) bool { return fullName(r) == full }))
	p.L.ClearMarks()
	return p.L.ItemsChanged()
}

// updated puts a changed repository on screen: the list row and the open
// detail page.
func (p *Pane) updated(full string, info *hubclient.RepositoryInfo, change func(*hubclient.Repository)) tea.Cmd {
	coll := p.L.Coll()
	if i := coll.Find(func(r hubclient.Repository) bool { return fullName(r) == full }); i >= 0 {
		r := coll.Items[i]
		change(&r)
		coll.Replace(i, r)
	}
	if d := p.open; d != nil && fullName(d.repo) == full {
		change(&d.repo)
		if info != nil {
			d.setInfo(info)
		}
	}
	return p.L.ItemsChanged()
}

// repositoryOf is the list row of a repository the Hub just described.
func repositoryOf(in *hubclient.RepositoryInfo) hubclient.Repository {
	r := hubclient.Repository{Name: in.Name, Namespace: in.Namespace, RepositoryType: in.RepositoryType, Status: in.Status,
		StatusDescription: in.StatusDescription, Description: in.Description, IsPrivate: in.IsPrivate, StarCount: in.StarCount,
		PullCount: in.PullCount, LastUpdated: in.LastUpdated, LastModified: in.LastModified, DateRegistered: in.DateRegistered,
		Affiliation: in.Affiliation, MediaTypes: in.MediaTypes, ContentTypes: in.ContentTypes, Categories: in.Categories}
	if in.StorageSize != nil {
		r.StorageSize = *in.StorageSize
	}
	return r
}
