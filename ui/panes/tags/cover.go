package tags

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// minImageCover is how many tags a delete must hold before the Hub is
// asked whether whole images hold exactly those tags.
const minImageCover = 10

// coverTimeout bounds reading the repository's images.
const coverTimeout = 2 * time.Minute

// coverMsg is which images have all their current tags among names.
type coverMsg struct {
	gen     uint64
	ref     string
	names   []string
	covered []hubclient.ImageRef // images whose every current tag is in names
	tags    []string             // the tags those images take with them
	tagsOf  map[string][]string  // digest → its current tags
	err     error
}

// askCover reads the repository's tagged images in a Cmd: deleting an
// image whose every current tag is marked removes those tags in one
// request (delete-images), where one request per tag would spend the rate
// budget for minutes.
func (p *Pane) askCover(env pane.Env, names []string) {
	c := env.Client()
	p.coverGen = env.NextGen()
	gen, ref := p.coverGen, p.repo()
	ns, repo, _ := strings.Cut(ref, "/")
	env.Say(fmt.Sprintf("checking which images %d tags cover…", len(names)))
	env.Do(func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), coverTimeout)
		defer cancel()
		tagged := true
		ims, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryImage, *hubclient.Response, error) {
			return c.Images.List(ctx, ns, repo, &hubclient.ImageListOptions{ListOptions: o, CurrentlyTagged: &tagged})
		}, nil)
		m := coverMsg{gen: gen, ref: ref, names: names, err: err, tagsOf: map[string][]string{}}
		if err != nil {
			return m
		}
		marked := make(map[string]bool, len(names))
		for _, n := range names {
			marked[n] = true
		}
		for _, im := range ims {
			cur := im.CurrentTags()
			if len(cur) > 0 && !slices.ContainsFunc(cur, func(t string) bool { return !marked[t] }) {
				m.covered = append(m.covered, hubclient.ImageRef{Repository: repo, Digest: im.Digest})
				m.tags = append(m.tags, cur...)
				m.tagsOf[im.Digest] = cur
			}
		}
		return m
	})
}

// onCover offers the images when they hold enough of the tags, else asks
// about the tags as usual. A Hub without image management asks as usual.
func (p *Pane) onCover(env pane.Env, m coverMsg) {
	if m.gen != p.coverGen || m.ref != p.repo() {
		return
	}
	env.Say("")
	if m.err != nil || len(m.tags) < minImageCover/2 {
		p.askTagDelete(env, m.names)
		return
	}
	rest := slices.DeleteFunc(slices.Clone(m.names), func(n string) bool { return slices.Contains(m.tags, n) })
	body := fmt.Sprintf("%d of the %d tags are every tag of %d image(s). Deleting those images removes the %d tags in %d request(s) "+
		"instead of %d, but also stops pulls of the images by digest. The other %d tag(s) go one at a time.\n\n"+
		"y: delete the images (then the other tags) · n: delete the tags one at a time",
		len(m.tags), len(m.names), len(m.covered), len(m.tags), (len(m.covered)+99)/100, len(m.tags), len(rest))
	c := dialog.NewConfirm(fmt.Sprintf("Delete %d image(s) of %s instead?", len(m.covered), sanitize.String(m.ref)), body, func() tea.Cmd {
		p.askImageDelete(env, m, rest)
		return nil
	})
	c.OnNo = func() tea.Cmd { p.askTagDelete(env, m.names); return nil }
	c.Keys = "y images · n tags one at a time · esc cancel"
	env.Ask(c)
}

// askImageDelete asks for the count typed, then deletes the covered images
// (the Hub's dry run first: its warnings about current tags are what the
// user just agreed to), then the other tags one at a time.
func (p *Pane) askImageDelete(env pane.Env, m coverMsg, rest []string) {
	ref, coll := m.ref, p.L.Coll()
	ns, _, _ := strings.Cut(ref, "/")
	n := len(m.covered)
	title := fmt.Sprintf("Delete %d image(s) and their %d tags of %s?", n, len(m.tags), ref)
	run := func() tea.Cmd {
		env.Mutate(pane.Change{What: fmt.Sprintf("deleting %d image(s) of %s", n, ref), Done: fmt.Sprintf("deleted %d image(s) and their tags of %s", n, ref),
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				refusedDigests, err := deleteImages(ctx, c, ns, m.covered)
				var refused []string
				for _, d := range refusedDigests {
					refused = append(refused, m.tagsOf[d]...)
				}
				return func() tea.Cmd {
					gone := map[string]bool{}
					if err == nil {
						for _, t := range m.tags {
							gone[t] = true
						}
					}
					for _, t := range refused { // their tags stay: the next pass takes them one by one
						delete(gone, t)
						rest = append(rest, t)
					}
					if p.L.Coll() == coll {
						p.L.KeepCursor()
						coll.RemoveWhere(func(t Row) bool { return gone[t.Name] })
						p.L.ClearMarks()
					}
					if len(rest) > 0 && err == nil {
						p.askTagDelete(env, rest)
					}
					return p.L.ItemsChanged()
				}, err
			}})
		return nil
	}
	env.Ask(dialog.NewTyped(title, "Pulls of these tags, and of the images by digest, will fail. It cannot be undone.",
		fmt.Sprintf("delete %d images", n), run))
}

// deleteImages deletes refs through delete-images, a hundred at a time:
// a dry run first, whose warnings are then ignored, and whose refusals
// (immutable tags) are left out. It returns the digests left out.
func deleteImages(ctx context.Context, c *hubclient.Client, ns string, refs []hubclient.ImageRef) ([]string, error) {
	var refused []string
	for i := 0; i < len(refs); i += 100 {
		batch := refs[i:min(i+100, len(refs))]
		var ignore []hubclient.ImageDeleteWarning
		_, _, err := c.Images.Delete(ctx, ns, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: batch})
		var refusal *hubclient.DeleteImagesRefusal
		switch {
		case errors.As(err, &refusal):
			bad := map[string]bool{}
			for _, e := range refusal.Errors {
				bad[e.Digest] = true
				refused = append(refused, e.Digest)
			}
			batch = slices.DeleteFunc(slices.Clone(batch), func(r hubclient.ImageRef) bool { return bad[r.Digest] })
			ignore = slices.DeleteFunc(slices.Clone(refusal.Warnings), func(w hubclient.ImageDeleteWarning) bool { return bad[w.Digest] })
		case err != nil:
			return refused, fmt.Errorf("dry run: %w", err)
		}
		if len(batch) == 0 {
			continue
		}
		if _, _, err := c.Images.Delete(ctx, ns, &hubclient.DeleteImagesRequest{Manifests: batch, IgnoreWarnings: ignore}); err != nil {
			return refused, err
		}
	}
	return refused, nil
}
