package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// target is the repository an action applies to: the one open in the
// detail view, else the one under the cursor.
func (p *reposPane) target() (hubclient.Repository, bool) {
	if p.detail != nil {
		return *p.detail, true
	}
	return p.l.selected()
}

// repoAction starts a repository change; false when act is not one.
func (p *reposPane) repoAction(a *App, act Action) (tea.Cmd, bool) {
	switch act {
	case ActNew:
		return p.askCreate(a), true
	case ActDelete, ActPrivacy, ActEdit:
	default:
		return nil, false
	}
	r, ok := p.target()
	if !ok {
		return nil, true
	}
	full := r.Namespace + "/" + r.Name
	if n := p.l.tbl.MarkedCount(); p.detail == nil && n > 0 {
		// Marks choose tags for a bulk delete; a repository change is made
		// on one repository, so say so rather than act on the cursor row.
		why := map[Action]string{
			ActDelete:  "repositories are deleted one at a time, with the name typed",
			ActPrivacy: "visibility is changed one repository at a time",
			ActEdit:    "descriptions are edited one repository at a time",
		}[act]
		a.setErr(fmt.Errorf("%s: esc clears the %d marks, then %s on one", why, n, a.keys.Binding(act).Label))
		a.errFrom = marksErr(p.l.coll.Key.String())
		return nil, true
	}
	switch act {
	case ActDelete:
		return a.ask(newTypedConfirm("Delete repository "+full,
			"This deletes "+full+" with every tag and image in it. Pulls of it will fail. It cannot be undone.", full,
			func() tea.Cmd {
				return a.mutate("deleting "+full, "deleted "+full, func(ctx context.Context, c *hubclient.Client) (func(*App) tea.Cmd, error) {
					_, err := c.Repos.Delete(ctx, r.Namespace, r.Name)
					return func(a *App) tea.Cmd { return p.forget(full) }, err
				})
			})), true
	case ActPrivacy:
		to, why := "public", "Anyone will be able to find and pull it."
		if !r.IsPrivate {
			to, why = "private", "Only people with access will be able to pull it."
		}
		private := !r.IsPrivate
		return a.ask(newConfirm("Make "+full+" "+to+"?", why, func() tea.Cmd {
			return a.mutate("making "+full+" "+to, full+" is now "+to, func(ctx context.Context, c *hubclient.Client) (func(*App) tea.Cmd, error) {
				info, _, err := c.Repos.Update(ctx, r.Namespace, r.Name, &hubclient.RepositoryUpdateRequest{IsPrivate: &private})
				return func(a *App) tea.Cmd {
					return p.updated(a, full, info, func(x *hubclient.Repository) { x.IsPrivate = private })
				}, err
			})
		})), true
	case ActEdit:
		shown := sanitize.String(r.Description)
		body := fmt.Sprintf("One line, at most %d characters.", hubclient.MaxRepoDescriptionLength)
		if shown != r.Description {
			body += " The current text holds characters that cannot be shown (controls, invisible or bidi marks); saving drops them."
		}
		return a.ask(newPrompt("Description of "+full, body,
			shown, 0, checkDescription, func(v string) tea.Cmd {
				if v == shown {
					a.say("description unchanged")
					return nil // enter without an edit sends nothing
				}
				return a.mutate("saving the description of "+full, "saved the description of "+full, func(ctx context.Context, c *hubclient.Client) (func(*App) tea.Cmd, error) {
					info, _, err := c.Repos.Update(ctx, r.Namespace, r.Name, &hubclient.RepositoryUpdateRequest{Description: &v})
					return func(a *App) tea.Cmd {
						return p.updated(a, full, info, func(x *hubclient.Repository) { x.Description = v })
					}, err
				})
			})), true
	}
	return nil, false
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

// askCreate asks for a new repository's name, then its visibility.
func (p *reposPane) askCreate(a *App) tea.Cmd {
	ns := a.sess.Org
	return a.ask(newPrompt("New repository in "+ns,
		"Lower-case letters and digits, with single . _ or - between them; 2 to 255 characters.", "", 255,
		func(v string) error {
			if !hubclient.ValidRepositoryName(v) {
				return fmt.Errorf("%q is not a valid repository name", v)
			}
			if p.l.coll.Find(func(r hubclient.Repository) bool { return r.Name == v }) >= 0 {
				return fmt.Errorf("%s/%s already exists", ns, v)
			}
			return nil
		},
		func(name string) tea.Cmd {
			create := func(private bool) func() tea.Cmd {
				return func() tea.Cmd {
					full := ns + "/" + name
					coll := p.l.coll
					return a.mutate("creating "+full, "created "+full, func(ctx context.Context, c *hubclient.Client) (func(*App) tea.Cmd, error) {
						info, _, err := c.Repos.Create(ctx, ns, &hubclient.RepositoryCreateRequest{Name: name, IsPrivate: private})
						return func(a *App) tea.Cmd {
							if info == nil || p.l.coll != coll {
								return nil
							}
							// One new row, in name order, instead of reloading the whole org.
							at := sort.Search(len(coll.Items), func(i int) bool { return coll.Items[i].Name >= info.Name })
							p.l.keepCursor()
							coll.Insert(at, repositoryOf(info))
							return p.l.itemsChanged()
						}, err
					})
				}
			}
			c := newConfirm("Create "+ns+"/"+name,
				"Private: only people with access can pull it. Public: anyone can find and pull it.", create(true))
			c.onNo = create(false)
			c.keys = "y private · n public · esc cancel"
			return a.ask(c)
		}))
}

// forget drops a deleted repository from the list and closes its detail view.
func (p *reposPane) forget(full string) tea.Cmd {
	if p.detail != nil && p.detail.Namespace+"/"+p.detail.Name == full {
		p.detail, p.info = nil, nil
	}
	p.l.coll.Remove(p.l.coll.Find(func(r hubclient.Repository) bool { return r.Namespace+"/"+r.Name == full }))
	p.l.tbl.ClearMarks()
	return p.l.itemsChanged()
}

// updated puts a changed repository on screen: the list row and the open
// detail view.
func (p *reposPane) updated(a *App, full string, info *hubclient.RepositoryInfo, change func(*hubclient.Repository)) tea.Cmd {
	i := p.l.coll.Find(func(r hubclient.Repository) bool { return r.Namespace+"/"+r.Name == full })
	if i >= 0 {
		r := p.l.coll.Items[i]
		change(&r)
		p.l.coll.Replace(i, r)
	}
	if p.detail != nil && p.detail.Namespace+"/"+p.detail.Name == full {
		change(p.detail)
		if info != nil {
			p.info = info
		}
	}
	return p.l.itemsChanged()
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
