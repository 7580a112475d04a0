package hubsim

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Background activity: while the demo runs, the simulator changes its own
// world the way a busy organization does — CI pushes tags (often with an
// organization or personal access token), old tags are cleaned up, members
// change roles and teams — and audits each change, so the audit tail and the
// tag lists move. Images are pulled too (pull times and counts change),
// which the Hub does not audit. The sequence of changes is deterministic given the seed;
// only their timing follows the wall clock (Options.Activity), or the fake
// clock's simulated time (RunActivity, ActivityBurst).

// activityBurst caps how many changes one tick may catch up on.
const activityBurst = 500

// activityState is what the generator keeps between changes: its own
// random source, separate from the one that drives latency and faults so
// that the sequence of changes depends on the seed alone, and the sorted
// member names of the org it works on.
type activityState struct {
	rng   *rand.Rand
	org   string
	names []string                  // sorted usernames of org's members; rebuilt when stale
	rules map[string]*regexp.Regexp // compiled immutable-tag rules; nil for an invalid one
}

func newActivityState(seed uint64) *activityState {
	return &activityState{rng: rand.New(rand.NewPCG(seed, 0xac7171)), rules: map[string]*regexp.Regexp{}}
}

// runActivity performs realistic changes at perSecond events per second until Close.
func (s *Server) runActivity(perSecond float64) {
	if perSecond <= 0 {
		<-s.stop
		return
	}
	st := newActivityState(s.opts.Seed)
	interval := max(time.Duration(float64(time.Second)/perSecond), time.Millisecond)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	start := time.Now()
	done := 0
	for {
		select {
		case <-s.stop:
			return
		case now := <-tick.C:
			due := int(now.Sub(start).Seconds() * perSecond)
			n := due - done
			if n > activityBurst {
				n, done = activityBurst, due-activityBurst // drop what cannot be caught up
			}
			for i := 0; i < n; i++ {
				select {
				case <-s.stop:
					return
				default:
				}
				s.activityStep(st)
			}
			done += n
		}
	}
}

// activityProtected are the demo's documented users, whose roles and teams
// stay as the README describes them.
func activityProtected(name string) bool {
	switch name {
	case DemoUser, TwoFactorUser, EditorUser, MemberUser, OutsiderUser:
		return true
	}
	return false
}

// activityStep makes one change and audits it.
func (s *Server) activityStep(st *activityState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orgs[DemoOrg]
	if o == nil {
		names := make([]string, 0, len(s.st.orgs))
		for n := range s.st.orgs {
			names = append(names, n)
		}
		if len(names) == 0 {
			return
		}
		sort.Strings(names)
		o = s.st.orgs[names[0]]
	}
	a := &activityStepper{s: s, st: st, rng: st.rng, o: o, now: s.clock.Now().UTC()}
	k := a.rng.IntN(100)
	var ok bool
	switch {
	case k < 40:
		ok = a.push(a.person(true), false)
	case k < 55:
		ok = a.push(a.person(true), true)
	case k < 63:
		ok = a.deleteTag()
	case k < 75:
		ok = a.push(a.token(), k%2 == 0)
	case k < 83:
		ok = a.roleChange()
	case k < 90:
		ok = a.teamAdd()
	case k < 96:
		ok = a.teamRemove()
	default:
		ok = a.tokenChange()
	}
	if !ok {
		a.push(a.person(true), false)
	}
	if a.rng.IntN(2) == 0 {
		a.pull()
	}
}

// activityStepper is one step's view of the world; s.mu is held for writing.
type activityStepper struct {
	s   *Server
	st  *activityState
	rng *rand.Rand
	o   *org
	now time.Time
}

func (a *activityStepper) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[a.rng.IntN(16)]
	}
	return string(b)
}

// members lists the org's usernames, sorted, that pass keep.
func (a *activityStepper) members(keep func(*member) bool) []string {
	st := a.st
	if st.org != a.o.Name || len(st.names) != len(a.o.Members) {
		st.org, st.names = a.o.Name, st.names[:0]
		for n := range a.o.Members {
			st.names = append(st.names, n)
		}
		sort.Strings(st.names)
	}
	var out []string
	for _, n := range st.names {
		m := a.o.Members[n]
		if m == nil { // the membership changed behind the cache
			st.names = nil
			return a.members(keep)
		}
		if keep(m) {
			out = append(out, n)
		}
	}
	return out
}

// person is a member acting with a password session: an editor or owner
// when pusher, else an owner. The zero principal means nobody qualifies.
func (a *activityStepper) person(pusher bool) principal {
	names := a.members(func(m *member) bool { return m.Role == RoleOwner || pusher && m.Role == RoleEditor })
	if len(names) == 0 {
		return principal{}
	}
	name := names[a.rng.IntN(len(names))]
	a.o.Members[name].LastSeen = a.now
	return principal{User: name, Kind: KindPassword}
}

// token picks an access token that pushes: an organization access token
// with repo-push, or an editor's or owner's personal access token with
// repo:write, and marks it used.
func (a *activityStepper) token() principal {
	var cands []principal
	ids := make([]string, 0, len(a.o.OATs))
	for id := range a.o.OATs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t := a.o.OATs[id]
		if t.Active && (t.ExpiresAt.IsZero() || a.now.Before(t.ExpiresAt)) && slices.ContainsFunc(t.Resources, func(r oatResource) bool {
			return r.Type == "TYPE_REPO" && r.Path == a.o.Name+"/*" && slices.Contains(r.Scopes, "repo-push")
		}) {
			cands = append(cands, principal{User: a.o.Name, Kind: KindOAT, Org: a.o.Name, TokenID: t.ID, TokenLabel: t.Label})
		}
	}
	for _, name := range a.members(func(m *member) bool { return m.Role != RoleMember }) {
		u := a.s.st.users[name]
		if u == nil {
			continue
		}
		uuids := make([]string, 0, len(u.PATs))
		for id := range u.PATs {
			uuids = append(uuids, id)
		}
		sort.Strings(uuids)
		for _, id := range uuids {
			t := u.PATs[id]
			if t.Active && (t.ExpiresAt.IsZero() || a.now.Before(t.ExpiresAt)) && maxPATScope(t.Scopes) >= patScopeRank("repo:write") {
				cands = append(cands, principal{User: name, Kind: KindPAT, Scopes: t.Scopes, TokenID: t.UUID, TokenLabel: t.Label})
			}
		}
	}
	if len(cands) == 0 {
		return a.person(true)
	}
	p := cands[a.rng.IntN(len(cands))]
	if p.Kind == KindOAT {
		a.o.OATs[p.TokenID].LastUsed = a.now
	} else {
		a.s.st.users[p.User].PATs[p.TokenID].LastUsed = a.now
	}
	return p
}

// repo picks one of the org's repositories with a manageable number of
// tags (the large dataset's nightly repository is left alone).
func (a *activityStepper) repo() *repo {
	ns := a.s.st.namespaces[a.o.Name]
	if ns == nil {
		return nil
	}
	names := ns.names()
	for range 4 {
		if len(names) == 0 {
			return nil
		}
		if r := ns.Repos[names[a.rng.IntN(len(names))]]; r != nil && len(r.Tags) <= 1000 {
			return r
		}
	}
	return nil
}

// immutable reports whether tag name falls under r's immutable-tag rules,
// each compiled once.
func (a *activityStepper) immutable(r *repo, name string) bool {
	if !r.Immutable {
		return false
	}
	for _, rule := range r.ImmutableRules {
		re, seen := a.st.rules[rule]
		if !seen {
			re, _ = regexp.Compile("^(?:" + rule + ")$") // nil when invalid
			a.st.rules[rule] = re
		}
		if re != nil && re.MatchString(name) {
			return true
		}
	}
	return false
}

// push pushes a tag — an existing moving tag, or a new one when fresh —
// as p, and audits repo.tag.push.
func (a *activityStepper) push(p principal, fresh bool) bool {
	r := a.repo()
	if r == nil || p.User == "" {
		return false
	}
	var name string
	if fresh || len(r.Tags) == 0 {
		switch a.rng.IntN(3) {
		case 0:
			name = fmt.Sprintf("v%d.%d.%d", 1+a.rng.IntN(3), a.rng.IntN(12), a.rng.IntN(20))
		case 1:
			name = fmt.Sprintf("pr-%d", 100+a.rng.IntN(900))
		default:
			name = "sha-" + a.hex(7)
		}
	} else {
		name = []string{"latest", "edge", "stable", "latest", "edge"}[a.rng.IntN(5)]
		if r.Tags[name] == nil {
			names := make([]string, 0, len(r.Tags))
			for n := range r.Tags {
				names = append(names, n)
			}
			sort.Strings(names)
			name = names[a.rng.IntN(len(names))]
		}
	}
	digest := "sha256:" + a.hex(64)
	if a.immutable(r, name) && r.Tags[name] != nil {
		return false // the Hub refuses to overwrite an immutable tag
	}
	t := r.Tags[name]
	if t == nil {
		t = &tag{ID: a.s.st.id(), Name: name, MediaType: "application/vnd.oci.image.index.v1+json"}
		for _, pl := range [][3]string{{"amd64", "linux", ""}, {"arm64", "linux", "v8"}} {
			t.Images = append(t.Images, platformImage{Architecture: pl[0], OS: pl[1], Variant: pl[2]})
		}
		r.Tags[name] = t
	}
	t.Digest = digest
	t.Updated, t.Pushed, t.Pulled = a.now, a.now, a.now
	t.LastUpdater = p.User
	for i := range t.Images {
		im := &t.Images[i]
		im.Digest = "sha256:" + a.hex(64)
		im.Size = 5_000_000 + a.rng.Int64N(400_000_000)
		im.Pushed, im.Pulled = a.now, a.now
	}
	r.tagOrder = nil
	r.Updated, r.Modified = a.now, a.now
	full := r.Namespace + "/" + r.Name
	a.s.audit(a.o.Name, "repo.tag.push", full, p,
		fmt.Sprintf("pushed the tag %s with the digest %s to the repository %s", name, digest, full),
		map[string]string{"tag": name, "digest": digest})
	return true
}

// pull records pulls of a tag (its pull time and the repository's pull
// count). Docker Hub does not audit pulls, so neither does this.
func (a *activityStepper) pull() {
	r := a.repo()
	if r == nil || len(r.Tags) == 0 {
		return
	}
	t := r.Tags["latest"]
	if t == nil || a.rng.IntN(3) == 0 {
		names := make([]string, 0, len(r.Tags))
		for n := range r.Tags {
			names = append(names, n)
		}
		sort.Strings(names)
		t = r.Tags[names[a.rng.IntN(len(names))]]
	}
	r.Pulls += 1 + a.rng.Int64N(50)
	t.Pulled = a.now
	for i := range t.Images {
		t.Images[i].Pulled = a.now
	}
}

// deleteTag deletes a tag other than latest, stable and edge from a
// repository that keeps more than four, and audits repo.tag.delete.
func (a *activityStepper) deleteTag() bool {
	r := a.repo()
	if r == nil || len(r.Tags) <= 4 {
		return false
	}
	var names []string
	for n := range r.Tags {
		if n != "latest" && n != "stable" && n != "edge" && !a.immutable(r, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return false
	}
	sort.Strings(names)
	name := names[a.rng.IntN(len(names))]
	p := a.person(true)
	if p.User == "" {
		return false
	}
	delete(r.Tags, name)
	r.tagOrder = nil
	full := r.Namespace + "/" + r.Name
	a.s.audit(a.o.Name, "repo.tag.delete", full, p, fmt.Sprintf("deleted the tag %s from the repository %s", name, full),
		map[string]string{"tag": name})
	return true
}

// roleChange flips a member between member and editor (never the demo's
// documented users, never an owner) and audits org.member.role.change.
func (a *activityStepper) roleChange() bool {
	names := a.members(func(m *member) bool { return m.Role != RoleOwner && !activityProtected(m.Username) })
	p := a.person(false)
	if len(names) == 0 || p.User == "" {
		return false
	}
	m := a.o.Members[names[a.rng.IntN(len(names))]]
	old := m.Role
	m.Role = RoleEditor
	if old == RoleEditor {
		m.Role = RoleMember
	}
	a.s.audit(a.o.Name, "org.member.role.change", a.o.Name, p, fmt.Sprintf("changed the role of %s to %s", m.Username, m.Role),
		map[string]string{"member": m.Username, "role": m.Role, "previous_role": old})
	return true
}

// teams lists the org's team names other than owners, sorted.
func (a *activityStepper) teams() []string {
	var out []string
	for n := range a.o.Teams {
		if n != "owners" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// teamAdd adds a member to a team and audits org.team.member.add.
func (a *activityStepper) teamAdd() bool {
	teams := a.teams()
	p := a.person(false)
	if len(teams) == 0 || p.User == "" {
		return false
	}
	t := a.o.Teams[teams[a.rng.IntN(len(teams))]]
	cands := a.members(func(m *member) bool { return !t.Members[m.Username] && !activityProtected(m.Username) })
	if len(cands) == 0 {
		return false
	}
	who := cands[a.rng.IntN(len(cands))]
	t.Members[who] = true
	a.s.audit(a.o.Name, "org.team.member.add", who, p, fmt.Sprintf("added %s to the team %s", who, t.Name),
		map[string]string{"team": t.Name})
	return true
}

// teamRemove removes a member from a team that keeps at least one, and
// audits org.team.member.remove.
func (a *activityStepper) teamRemove() bool {
	teams := a.teams()
	p := a.person(false)
	if len(teams) == 0 || p.User == "" {
		return false
	}
	t := a.o.Teams[teams[a.rng.IntN(len(teams))]]
	var cands []string
	for n := range t.Members {
		if !activityProtected(n) {
			cands = append(cands, n)
		}
	}
	if len(cands) == 0 || len(t.Members) < 2 {
		return false
	}
	sort.Strings(cands)
	who := cands[a.rng.IntN(len(cands))]
	delete(t.Members, who)
	a.s.audit(a.o.Name, "org.team.member.remove", who, p, fmt.Sprintf("removed %s from the team %s", who, t.Name),
		map[string]string{"team": t.Name})
	return true
}

// tokenChange has an owner create a short-lived CI organization access token,
// or delete one of those once there are a few: the demo org's own tokens are
// never touched.
func (a *activityStepper) tokenChange() bool {
	p := a.person(false)
	if p.User == "" {
		return false
	}
	var runs []string
	for id, t := range a.o.OATs {
		if strings.HasPrefix(t.Label, "ci-run-") {
			runs = append(runs, id)
		}
	}
	sort.Strings(runs)
	if len(runs) >= 3 {
		t := a.o.OATs[runs[a.rng.IntN(len(runs))]]
		delete(a.o.OATs, t.ID)
		a.s.audit(a.o.Name, "org.access_token.delete", a.o.Name, p, fmt.Sprintf("deleted the organization access token %q", t.Label),
			map[string]string{"label": t.Label, "token_id": t.ID})
		return true
	}
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[a.rng.IntN(16)]
		}
		return string(b)
	}
	h := hex(32)
	t := &oat{ID: h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:], Label: fmt.Sprintf("ci-run-%04d", a.rng.IntN(10000)),
		Description: "pipeline run", Token: "dckr_oat_" + hex(27), CreatedBy: p.User, Created: a.now, ExpiresAt: a.now.Add(7 * 24 * time.Hour),
		Active: true, Resources: []oatResource{{Type: "TYPE_REPO", Path: a.o.Name + "/*", Scopes: []string{"repo-pull", "repo-push"}}}}
	a.o.OATs[t.ID] = t
	a.s.audit(a.o.Name, "org.access_token.create", a.o.Name, p, fmt.Sprintf("created the organization access token %q", t.Label),
		map[string]string{"label": t.Label, "token_id": t.ID})
	return true
}
