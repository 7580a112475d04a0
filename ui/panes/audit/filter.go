package audit

import (
	"errors"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// Actions of the server filters.
const (
	ActFilterAction = "filter_action"
	ActFilterActor  = "filter_actor"
	ActFilterObject = "filter_object"
	ActFilterTime   = "filter_time"
)

// The server filters, by the name esc and the header give them.
const (
	fAction = "action"
	fActor  = "actor"
	fObject = "object"
	fTime   = "time"
)

// serverFilter is what the Hub is asked to filter the log by.
type serverFilter struct {
	f        saudit.Filter
	typed    string    // the time range as typed
	from, to time.Time // zero: open
	order    []string  // the filters set, oldest first: esc clears the last
}

// active reports whether some filter is set.
func (s *serverFilter) active() bool { return len(s.order) > 0 }

// mark notes filter kind as set (the newest) or cleared.
func (s *serverFilter) mark(kind string, on bool) {
	s.order = slices.DeleteFunc(s.order, func(k string) bool { return k == kind })
	if on {
		s.order = append(s.order, kind)
	}
}

// drop clears filter kind.
func (s *serverFilter) drop(kind string) {
	switch kind {
	case fAction:
		s.f.Action = ""
	case fActor:
		s.f.Actor = ""
	case fObject:
		s.f.Name = ""
	case fTime:
		s.typed, s.from, s.to = "", time.Time{}, time.Time{}
	}
	s.mark(kind, false)
}

// options asks for page of size events with the filters; a non-zero to
// ends the window there (the fixed end of the pages read back).
func (s *serverFilter) options(page, size int, to time.Time) *hubclient.AuditListOptions {
	o := &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{Page: page, PageSize: size},
		Action: s.f.Action, Actor: s.f.Actor, Name: s.f.Name, From: s.from, To: s.to}
	if !to.IsZero() && (o.To.IsZero() || to.Before(o.To)) {
		o.To = to
	}
	return o
}

// describe says what filter kind is, as the header shows it.
func (p *Pane) describe(kind string) string {
	s := &p.filter
	switch kind {
	case fAction:
		return "action: " + p.label(s.f.Action)
	case fActor:
		return "actor: " + s.f.Actor
	case fObject:
		return "object: " + s.f.Name
	case fTime:
		switch {
		case s.to.IsZero():
			return "since " + p.stamp(s.from)
		case s.from.IsZero():
			return "until " + p.stamp(s.to)
		}
		return p.stamp(s.from) + " to " + p.stamp(s.to)
	}
	return ""
}

// stamp is a range's end in the pane's zone, to the minute (or second
// when it has one).
func (p *Pane) stamp(t time.Time) string {
	t = t.In(p.loc())
	if t.Second() != 0 && t.Nanosecond() != 999999999 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// loc is the zone times are shown and read in.
func (p *Pane) loc() *time.Location {
	if p.utc {
		return time.UTC
	}
	return time.Local
}

// filterLine is the header line of the filters set, oldest first, or "".
func (p *Pane) filterLine() string {
	if !p.filter.active() {
		return ""
	}
	parts := make([]string, len(p.filter.order))
	for i, k := range p.filter.order {
		parts[i] = p.describe(k)
	}
	return sanitize.String(strings.Join(parts, " · "))
}

// refilterServer starts over with the filters as they are now: the events
// held go, the loads in flight are dropped, page 1 is read again, and a
// follow goes on with the same filters once it is.
func (p *Pane) refilterServer(env pane.Env) tea.Cmd {
	p.stop()
	p.stopOlder()
	p.ring.Reset()
	p.resetIndex()
	p.set.Watch.Reset()
	clear(p.watched)
	clear(p.arrived)
	p.tail, p.pendingRun = nil, nil
	p.paused, p.unseen, p.cursor, p.loaded = false, 0, 0, false
	return p.load(env)
}

// setFilter applies a change to one filter (on: set, else cleared) and
// reloads.
func (p *Pane) setFilter(env pane.Env, kind string, on bool) tea.Cmd {
	if on {
		p.filter.mark(kind, true)
	} else {
		p.filter.drop(kind)
	}
	return p.refilterServer(env)
}

// filterBindings are the keys of the server filters, and esc clearing
// the newest one while one is set.
func (p *Pane) filterBindings(env pane.Env) []pane.Binding {
	s := &p.filter
	var none string
	if env.Client() == nil || p.org == "" {
		none = "not signed in to an organization"
	}
	b := []pane.Binding{
		{Action: ActFilterAction, Keys: []string{"a"}, Help: "filter by action (the Hub's list)", Short: "action", Group: pane.GroupFind,
			Disabled: none, Run: func() tea.Cmd { return p.askAction(env) }},
		{Action: ActFilterActor, Keys: []string{"u"}, Help: "filter by actor (user)", Short: "actor", Group: pane.GroupFind,
			Disabled: none, Run: func() tea.Cmd {
				env.Ask(dialog.NewPrompt("Only events by", "The username of who made the change (empty: anyone). Changes made with a token are theirs too.",
					s.f.Actor, 0, nil, func(v string) tea.Cmd {
						s.f.Actor = strings.TrimSpace(v)
						return p.setFilter(env, fActor, s.f.Actor != "")
					}))
				return nil
			}},
		{Action: ActFilterObject, Keys: []string{"n"}, Help: "filter by object (repo, org, member)", Short: "object", Group: pane.GroupFind,
			Disabled: none, Run: func() tea.Cmd {
				env.Ask(dialog.NewPrompt("Only events about", "A repository ("+p.org+"/web), the organization ("+p.org+") or a member's username; empty: anything.",
					s.f.Name, 0, nil, func(v string) tea.Cmd {
						s.f.Name = strings.TrimSpace(v)
						return p.setFilter(env, fObject, s.f.Name != "")
					}))
				return nil
			}},
		{Action: ActFilterTime, Keys: []string{"w"}, Help: "filter by time (-24h, 7d, since monday)", Short: "when", Group: pane.GroupFind,
			Disabled: none, Run: func() tea.Cmd { p.askRange(env); return nil }},
	}
	if p.query != "" {
		b = append(b, pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: "clear the filter", Short: "clear", Group: pane.GroupFind,
			Run: func() tea.Cmd { return p.SetQuery(env, "") }})
	} else if n := len(s.order); n > 0 {
		kind := s.order[n-1]
		b = append(b, pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: "clear the filter " + p.describe(kind), Short: "clear " + kind, Group: pane.GroupFind,
			Run: func() tea.Cmd { return p.setFilter(env, kind, false) }})
	}
	return b
}

// askAction offers the catalogue's actions, grouped as it groups them.
func (p *Pane) askAction(env pane.Env) tea.Cmd {
	c := p.cats[p.org]
	if c == nil {
		if p.catErr != nil {
			err := p.catErr
			env.Fail("", err)
			return p.loadCatalogue(env) // try again
		}
		env.Say("the list of actions is still loading")
		return p.loadCatalogue(env)
	}
	s := &p.filter
	env.Ask(dialog.NewPicker("Only events of the action", actionItems(c), []string{s.f.Action}, false, func(ids []string) tea.Cmd {
		s.f.Action = ids[0]
		return p.setFilter(env, fAction, s.f.Action != "")
	}))
	return nil
}

// askRange asks for a time range; what is typed stays in the box with the
// problem under it until it reads, or esc.
func (p *Pane) askRange(env pane.Env) {
	s := &p.filter
	now := env.Now()
	body := "-24h, 7d or 2w back from now · today, yesterday, since monday · 2026-12-01 or 2026-12-01 10:00 · " +
		"A..B or A to B for both ends. Empty: all time. Times without a zone are " + p.loc().String() + " (t toggles UTC)."
	env.Ask(dialog.NewPrompt("Only events of the time range", body, s.typed, 200, func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		_, _, err := saudit.ParseRange(v, now, p.loc())
		return err
	}, func(v string) tea.Cmd {
		v = strings.TrimSpace(v)
		if v == "" {
			return p.setFilter(env, fTime, false)
		}
		from, to, err := saudit.ParseRange(v, now, p.loc())
		if err != nil { // the check let it through: cannot happen, but say so
			env.Fail("", errors.New("time range: "+err.Error()))
			return nil
		}
		s.typed, s.from, s.to = v, from, to
		return p.setFilter(env, fTime, true)
	}))
}
