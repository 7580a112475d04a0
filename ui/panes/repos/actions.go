package repos

import (
	"context"
	"fmt"
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

func (p *Pane) askCreate(env pane.Env) {
	ns := env.Org()
	coll := p.L.Coll()
	env.Ask(dialog.NewPrompt("New repository in "+ns,
		"Lower-case letters and digits, with single . _ or - between them; 2 to 255 characters.", "", 255,
		func(v string) error {
			if !hubclient.ValidRepositoryName(v) {
				return fmt.Errorf("%q is not a valid repository name", v)
			}
			if coll.Find(func(r hubclient.Repository) bool { return r.Name == v }) >= 0 {
				return fmt.Errorf("%s/%s already exists", ns, v)
			}
			return nil
		},
		func(name string) tea.Cmd {
			full := ns + "/" + name
			create := func(private bool) func() tea.Cmd {
				return func() tea.Cmd {
					env.Mutate(pane.Change{What: "creating " + full, Done: "created " + full,
						Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
							info, _, err := c.Repos.Create(ctx, ns, &hubclient.RepositoryCreateRequest{Name: name, IsPrivate: private})
							return func() tea.Cmd {
								if info == nil || p.L.Coll() != coll {
									return nil
								}
								// One new row, in name order, instead of reloading the whole org.
								at := sort.Search(len(coll.Items), func(i int) bool { return coll.Items[i].Name >= info.Name })
								p.L.KeepCursor()
								coll.Insert(at, repositoryOf(info))
								return p.L.ItemsChanged()
							}, err
						}})
					return nil
				}
			}
			c := dialog.NewConfirm("Create "+full,
				"Private: only people with access can pull it. Public: anyone can find and pull it.", create(true))
			c.OnNo = create(false)
			c.Keys = "y private · n public · esc cancel"
			env.Ask(c)
			return nil
		}))
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
			d.info = info
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
