package tags

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
)

// fetchAtMost is how many pushed tags are read one by one; more, or a
// list of relistPages pages or fewer, is listed again instead.
const (
	fetchAtMost = 10
	relistPages = 3
)

// liveTags is what the audit log said changed in the repository shown
// since the last reload: a long list takes the pushed tags one by one and
// drops the deleted ones, rather than listing every page again.
type liveTags struct {
	repo   string
	pushed map[string]bool
	gone   map[string]bool
	full   bool // something only a whole reload shows (an image deleted, immutability)
}

// liveMsg carries the pushed tags read again.
type liveMsg struct {
	coll *state.Collection[Row]
	gen  uint64
	rows []Row
	gone []string // pushed, then deleted before they were read
	err  error
}

// Affected reports a tag of the repository shown pushed or deleted, an
// image of it deleted or its tag immutability changed, and remembers which.
func (p *Pane) Affected(_ pane.Env, evs []hubclient.AuditLog) bool {
	repo := p.repo()
	if repo == "" {
		return false
	}
	if p.live.repo != repo {
		p.live = liveTags{repo: repo, pushed: map[string]bool{}, gone: map[string]bool{}}
	}
	hit := false
	for _, e := range evs {
		if e.Name != repo {
			continue
		}
		tag := e.Data["tag"]
		switch {
		case e.Action == "repo.tag.push" && tag != "":
			p.live.pushed[tag] = true
			delete(p.live.gone, tag)
		case e.Action == "repo.tag.delete" && tag != "":
			p.live.gone[tag] = true
			delete(p.live.pushed, tag)
		case strings.HasPrefix(e.Action, "repo.tag.") || e.Action == "repo.image.delete" || e.Action == "repo.immutable.tags.updated":
			p.live.full = true
		default:
			continue
		}
		hit = true
	}
	return hit
}

// Reload brings the tags up to date with what the log said: a short list
// (or a change only a listing shows) is listed again; a long one reads
// the pushed tags alone and drops the deleted ones. The cursor stays on
// its tag.
func (p *Pane) Reload(env pane.Env) tea.Cmd {
	lt := p.live
	p.live = liveTags{}
	coll := p.L.Coll()
	c := env.Client()
	if lt.repo != p.repo() || lt.full || p.searching() != "" || coll.Status != state.Loaded || p.L.Busy() || c == nil ||
		len(lt.pushed) > fetchAtMost || coll.Total <= relistPages*hubclient.MaxPageSize {
		return p.L.Reload(env)
	}
	p.L.KeepCursor()
	if len(lt.gone) > 0 {
		coll.RemoveWhere(func(r Row) bool { return lt.gone[r.Name] })
	}
	cmd := p.L.ItemsChanged()
	if len(lt.pushed) == 0 {
		return cmd
	}
	names := make([]string, 0, len(lt.pushed))
	for n := range lt.pushed {
		names = append(names, n)
	}
	ns, repo, _ := strings.Cut(lt.repo, "/")
	gen := coll.Gen
	return tea.Batch(cmd, func() tea.Msg {
		m := liveMsg{coll: coll, gen: gen}
		in := &interner{}
		for _, n := range names {
			t, _, err := c.Tags.Get(hubclient.Background(context.Background()), ns, repo, n)
			switch {
			case hubclient.IsStatus(err, 404):
				m.gone = append(m.gone, n)
			case err != nil:
				m.err = fmt.Errorf("read the tag %s:%s again: %w", lt.repo, n, err)
				return m
			default:
				m.rows = append(m.rows, rowOf(*t, in))
			}
		}
		return m
	})
}

// onLive puts the pushed tags at the top (newest push first, as the Hub
// lists them), in place of what the list held of them.
func (p *Pane) onLive(env pane.Env, m liveMsg) tea.Cmd {
	coll := p.L.Coll()
	if m.coll != coll || m.gen != coll.Gen || coll.Status != state.Loaded {
		return nil // listed again since, or another repository
	}
	if m.err != nil {
		if !errors.Is(m.err, context.Canceled) {
			env.Fail("", m.err)
		}
		return nil
	}
	drop := map[string]bool{}
	for _, n := range m.gone {
		drop[n] = true
	}
	for _, r := range m.rows {
		drop[r.Name] = true
	}
	p.L.KeepCursor()
	coll.RemoveWhere(func(r Row) bool { return drop[r.Name] })
	slices.SortFunc(m.rows, func(a, b Row) int { return cmp.Compare(a.Pushed, b.Pushed) }) // the newest goes in last, on top
	for _, r := range m.rows {
		coll.Insert(0, r)
	}
	return p.L.ItemsChanged()
}
