package hubsim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Demo dataset credentials, documented in the README.
const (
	// DemoOrg is the demo organization.
	DemoOrg = "acme"
	// DemoUser is the demo org owner; its password is DemoPassword.
	DemoUser     = "demo"
	DemoPassword = "demo"
	// DemoPAT is a personal access token of DemoUser with repo:admin.
	DemoPAT = "dckr_pat_demo0000000000000000000000"
	// DemoOAT is an organization access token of DemoOrg with every org scope.
	DemoOAT = "dckr_oat_demo0000000000000000000000"
	// TwoFactorUser has two-factor auth on: password TwoFactorPassword, TOTP secret TwoFactorSecret.
	TwoFactorUser     = "ops"
	TwoFactorPassword = "ops"
	TwoFactorSecret   = "JBSWY3DPEHPK3PXP"
	// EditorUser and MemberUser have those roles in DemoOrg; password = username.
	EditorUser = "erin"
	MemberUser = "max"
	// OutsiderUser is in no organization; password = username.
	OutsiderUser = "olga"
	// BigRepo is the repository with many tags in the large dataset.
	BigRepo = "big"
)

// orgScopesCSV lists the scopes an organization access token can hold on its org.
const orgScopesCSV = "member-read,member-edit,team-read,team-edit,invite-read,invite-edit,audit-log-read,settings-read,settings-edit,repo-read,repo-edit"

// sizes of a dataset.
type sizes struct {
	repos, tagsPerRepo, bigTags, members, teams, invites, audit int
}

// buildDataset makes the named dataset deterministically from seed, with
// timestamps relative to now.
func buildDataset(name string, seed uint64, now time.Time) (*store, error) {
	var sz sizes
	switch name {
	case "empty":
		sz = sizes{}
	case "demo":
		sz = sizes{repos: 60, tagsPerRepo: 12, members: 40, teams: 8, invites: 6, audit: 2000}
	case "large":
		sz = sizes{repos: 10000, tagsPerRepo: 3, bigTags: 100000, members: 5000, teams: 300, invites: 50, audit: 100000}
	default:
		return nil, fmt.Errorf("unknown dataset %q (want demo, large or empty)", name)
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, 0xac3e)), x: rand.New(rand.NewPCG(seed, 0x1a51)), now: now.UTC().Truncate(time.Second), st: newStore(),
		firstNames: strings.Split(wordsFirst, ","), lastNames: strings.Split(wordsLast, ","), cities: strings.Split(wordsCities, ","),
		repoStems: strings.Split(wordsRepos, ","), repoPrefixes: strings.Split(wordsPrefixes, ","),
		descPrefixes: strings.Split(wordsDesc, ","), teamNames: strings.Split(wordsTeams, ",")}
	g.people(sz)
	g.org(sz)
	g.repos(sz)
	g.teams(sz)
	g.invites(sz)
	g.tokens()
	g.history(sz)
	g.insights()
	return g.st, nil
}

// gen builds a dataset.
type gen struct {
	r *rand.Rand
	// x is a second source for fields added after the first datasets, so
	// that what r draws (and every dataset built from it) stays the same.
	x   *rand.Rand
	now time.Time
	st  *store

	firstNames, lastNames, cities, repoStems, repoPrefixes, descPrefixes, teamNames []string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// ago is a random time within the last d.
func (g *gen) ago(d time.Duration) time.Time {
	return g.now.Add(-time.Duration(g.r.Int64N(int64(d))))
}

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) uuid() string {
	h := g.hex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func (g *gen) addUser(name, password string) *user {
	first := strings.ToUpper(name[:1]) + name[1:]
	u := &user{ID: g.hex(32), Username: name, FullName: first + " " + g.pick(g.lastNames), Company: "Acme Corp",
		Location: g.pick(g.cities), Email: name + "@acme.example", Password: password,
		Joined: g.ago(3 * 365 * 24 * time.Hour), PATs: map[string]*pat{}}
	u.Emails = []email{{ID: g.st.id(), Address: u.Email, Verified: true, Primary: true}}
	g.st.users[name] = u
	g.st.namespaces[name] = &namespace{Name: name, Repos: map[string]*repo{}}
	return u
}

func (g *gen) people(sz sizes) {
	g.addUser(DemoUser, DemoPassword)
	ops := g.addUser(TwoFactorUser, TwoFactorPassword)
	ops.TOTPSecret = TwoFactorSecret
	g.addUser(EditorUser, EditorUser)
	g.addUser(MemberUser, MemberUser)
	g.addUser(OutsiderUser, OutsiderUser)
	for i := 0; len(g.st.users) < sz.members+1; i++ {
		name := g.firstNames[i%len(g.firstNames)]
		if i >= len(g.firstNames) {
			name = fmt.Sprintf("%s%d", name, i/len(g.firstNames))
		}
		if g.st.users[name] == nil {
			g.addUser(name, name)
		}
	}
}

func (g *gen) org(sz sizes) {
	o := &org{ID: g.hex(32), Name: DemoOrg, FullName: "Acme Corp", Company: "Acme Corp",
		Created: g.now.AddDate(-3, 0, 0), Members: map[string]*member{}, Teams: map[string]*team{},
		Invites: map[string]*invite{}, OATs: map[string]*oat{},
		Settings: orgSettings{RestrictImages: false, AllowOfficialImages: true, AllowVerifiedPublishers: true, RAMDockerHub: true}}
	g.st.orgs[DemoOrg] = o
	g.st.namespaces[DemoOrg] = &namespace{Name: DemoOrg, Repos: map[string]*repo{}}
	if sz.members == 0 && sz.repos == 0 {
		o.Members[DemoUser] = &member{Username: DemoUser, Role: RoleOwner, Joined: o.Created}
		return
	}
	names := make([]string, 0, len(g.st.users))
	for n := range g.st.users {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		u := g.st.users[n]
		if u.Username == OutsiderUser {
			continue
		}
		role := RoleMember
		if g.r.IntN(10) == 0 {
			role = RoleEditor
		}
		switch u.Username {
		case DemoUser, TwoFactorUser:
			role = RoleOwner
		case EditorUser:
			role = RoleEditor
		case MemberUser:
			role = RoleMember
		}
		o.Members[u.Username] = &member{Username: u.Username, Role: role, Joined: g.ago(2 * 365 * 24 * time.Hour), LastSeen: g.ago(30 * 24 * time.Hour)}
	}
}

func (g *gen) repos(sz sizes) {
	ns := g.st.namespaces[DemoOrg]
	for i := 0; len(ns.Repos) < sz.repos; i++ {
		name := g.repoStems[i%len(g.repoStems)]
		if i >= len(g.repoStems) {
			name = fmt.Sprintf("%s-%s-%d", g.pick(g.repoPrefixes), name, i/len(g.repoStems))
		}
		if ns.Repos[name] != nil {
			continue
		}
		g.addRepo(ns, name, sz.tagsPerRepo)
	}
	if sz.bigTags > 0 {
		r := g.addRepo(ns, BigRepo, 0)
		r.Description = "Nightly builds of everything (many tags)"
		for i := 0; i < sz.bigTags; i++ {
			g.addTag(r, fmt.Sprintf("nightly-%06d", i), g.ago(365*24*time.Hour))
		}
	}
	// A personal repository for the demo user.
	g.addRepo(g.st.namespaces[DemoUser], "dotfiles", 3)
}

func (g *gen) addRepo(ns *namespace, name string, tags int) *repo {
	created := g.ago(3 * 365 * 24 * time.Hour)
	desc := strings.TrimSpace(fmt.Sprintf("%s %s", g.pick(g.descPrefixes), strings.ReplaceAll(name, "-", " ")))
	if len(desc) > 100 {
		desc = desc[:100]
	}
	r := &repo{ID: g.st.id(), Namespace: ns.Name, Name: name, Description: desc,
		Private: g.r.IntN(3) > 0, Stars: int64(g.r.IntN(400)), Pulls: int64(g.r.IntN(5_000_000)),
		Created: created, Updated: created, Modified: created, Tags: map[string]*tag{}, Source: "user"}
	r.FullDescription = readme(ns.Name, name, desc)
	if g.r.IntN(5) == 0 {
		r.Immutable, r.ImmutableRules = true, []string{"v.*"}
	}
	versions := []string{"latest", "stable", "edge"}
	for i := 0; i < tags; i++ {
		tn := ""
		if i < len(versions) {
			tn = versions[i]
		} else {
			tn = fmt.Sprintf("v%d.%d.%d", 1+i/6, i%6, g.r.IntN(10))
		}
		g.addTag(r, tn, g.ago(180*24*time.Hour))
	}
	ns.Repos[name] = r
	ns.sorted = nil
	return r
}

func (g *gen) addTag(r *repo, name string, pushed time.Time) *tag {
	t := &tag{ID: g.st.id(), Name: name, Digest: "sha256:" + g.hex(64),
		MediaType: "application/vnd.oci.image.index.v1+json", Updated: pushed, Pushed: pushed,
		Pulled: pushed.Add(time.Duration(g.r.Int64N(int64(g.now.Sub(pushed)) + 1))), LastUpdater: DemoUser}
	arches := [][3]string{{"amd64", "linux", ""}, {"arm64", "linux", "v8"}}
	if g.r.IntN(4) == 0 {
		arches = append(arches, [3]string{"arm", "linux", "v7"})
	}
	for _, a := range arches {
		t.Images = append(t.Images, platformImage{Architecture: a[0], OS: a[1], Variant: a[2], Digest: "sha256:" + g.hex(64),
			Size: 5_000_000 + g.r.Int64N(400_000_000), Pushed: pushed, Pulled: t.Pulled})
	}
	r.Tags[name] = t
	r.tagOrder = nil
	if pushed.After(r.Updated) {
		r.Updated, r.Modified = pushed, pushed
	}
	return t
}

func (g *gen) teams(sz sizes) {
	o := g.st.orgs[DemoOrg]
	if sz.teams == 0 {
		return
	}
	members := make([]string, 0, len(o.Members))
	for n := range o.Members {
		members = append(members, n)
	}
	sortStrings(members)
	repos := g.st.namespaces[DemoOrg].names()
	perms := []string{"read", "write", "admin"}
	for i := 0; len(o.Teams) < sz.teams; i++ {
		name := g.teamNames[i%len(g.teamNames)]
		if i >= len(g.teamNames) {
			name = fmt.Sprintf("%s-%d", name, i/len(g.teamNames))
		}
		t := &team{ID: g.st.id(), UUID: g.uuid(), Name: name, Description: "The " + strings.ReplaceAll(name, "-", " ") + " team",
			Members: map[string]bool{}, RepoPerms: map[string]string{}}
		if name == "owners" {
			for n, m := range o.Members {
				if m.Role == RoleOwner {
					t.Members[n] = true
				}
			}
		} else {
			for k := 0; k < 3+g.r.IntN(8); k++ {
				t.Members[members[g.r.IntN(len(members))]] = true
			}
			for k := 0; k < 2+g.r.IntN(4) && len(repos) > 0; k++ {
				t.RepoPerms[repos[g.r.IntN(len(repos))]] = g.pick(perms)
			}
		}
		o.Teams[name] = t
	}
}

func (g *gen) invites(sz sizes) {
	o := g.st.orgs[DemoOrg]
	for i := 0; i < sz.invites; i++ {
		id := g.uuid()
		invitee := fmt.Sprintf("%s.%s@partner.example", strings.ToLower(g.pick(g.firstNames)), strings.ToLower(g.pick(g.lastNames)))
		if i%3 == 2 {
			invitee = fmt.Sprintf("contractor%d", i)
		}
		o.Invites[id] = &invite{ID: id, Inviter: DemoUser, Invitee: invitee, Team: g.pick(g.teamNames[:4]), Role: RoleMember,
			Created: g.ago(14 * 24 * time.Hour)}
	}
}

func (g *gen) tokens() {
	demo := g.st.users[DemoUser]
	add := func(u *user, label, token string, scopes []string, active bool) *pat {
		id := g.uuid()
		u.PATs[id] = &pat{UUID: id, Label: label, Scopes: scopes, Token: token, Active: active, Created: g.ago(200 * 24 * time.Hour),
			LastUsed: g.ago(10 * 24 * time.Hour), CreatorIP: "203.0.113.7", CreatorUA: "Mozilla/5.0"}
		return u.PATs[id]
	}
	add(demo, "hubtui demo", DemoPAT, []string{"repo:admin"}, true)
	// The CI token expires in three months; the others never do.
	add(demo, "CI pipeline", "dckr_pat_"+g.hex(27), []string{"repo:write"}, true).ExpiresAt = g.now.AddDate(0, 3, 0)
	add(demo, "laptop pulls", "dckr_pat_"+g.hex(27), []string{"repo:read"}, true)
	add(demo, "old release script", "dckr_pat_"+g.hex(27), []string{"repo:write"}, false)
	o := g.st.orgs[DemoOrg]
	addOAT := func(label, token string, res []oatResource, expires time.Time) {
		id := g.uuid()
		o.OATs[id] = &oat{ID: id, Label: label, Description: label + " automation", Token: token, CreatedBy: DemoUser,
			Created: g.ago(120 * 24 * time.Hour), LastUsed: g.ago(3 * 24 * time.Hour), ExpiresAt: expires, Active: true, Resources: res}
	}
	addOAT("hubtui admin", DemoOAT, []oatResource{{Type: "TYPE_ORG", Path: "*", Scopes: strings.Split(orgScopesCSV, ",")},
		{Type: "TYPE_REPO", Path: DemoOrg + "/*", Scopes: []string{"repo-pull", "repo-push"}}}, time.Time{})
	addOAT("ci-bot", "dckr_oat_"+g.hex(27), []oatResource{{Type: "TYPE_REPO", Path: DemoOrg + "/*", Scopes: []string{"repo-pull", "repo-push"}}}, g.now.AddDate(0, 6, 0))
	addOAT("scanner", "dckr_oat_"+g.hex(27), []oatResource{{Type: "TYPE_REPO", Path: "*/*/public", Scopes: []string{"repo-pull"}}}, g.now.AddDate(1, 0, 0))
}

// desktopVersions are Docker Desktop releases, newest first.
const desktopVersions = "4.43.2,4.43.1,4.42.0,4.41.2,4.40.0,4.39.0,4.38.0,4.37.2,4.36.0,4.35.1,4.34.3,4.33.0"

// insights fills what the Hub shows organizations with insights: each
// user's last sign-in (for an org member before or at their last visit to
// the org, within the last three weeks; for anyone else in the last two
// months) and the Docker Desktop version they last used, newer releases
// more likely, none for about one in six (people who use only the CLI).
func (g *gen) insights() {
	versions := strings.Split(desktopVersions, ",")
	names := make([]string, 0, len(g.st.users))
	for n := range g.st.users {
		names = append(names, n)
	}
	sortStrings(names)
	o := g.st.orgs[DemoOrg]
	for _, n := range names {
		u := g.st.users[n]
		last := g.now.Add(-time.Duration(g.x.Int64N(int64(60 * 24 * time.Hour))))
		if m := o.Members[n]; m != nil && !m.LastSeen.IsZero() {
			last = m.LastSeen.Add(-time.Duration(g.x.Int64N(int64(21 * 24 * time.Hour))))
		}
		u.LastLogin = maxTime(last, u.Joined)
		if g.x.IntN(6) > 0 {
			u.DesktopVersion = versions[min(g.x.IntN(len(versions)), g.x.IntN(len(versions)))]
		}
	}
}

// maxTime is the later of a and b.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// history writes n audit events over the last 90 days, oldest first.
func (g *gen) history(sz sizes) {
	o := g.st.orgs[DemoOrg]
	if sz.audit == 0 {
		return
	}
	repos := g.st.namespaces[DemoOrg].names()
	var members []string
	for n := range o.Members {
		members = append(members, n)
	}
	sortStrings(members)
	span := 90 * 24 * time.Hour
	step := span / time.Duration(sz.audit)
	t := g.now.Add(-span)
	for i := 0; i < sz.audit; i++ {
		t = t.Add(step)
		actor := members[g.r.IntN(len(members))]
		repo := DemoOrg + "/" + repos[g.r.IntN(len(repos))]
		ev := auditEvent{Account: DemoOrg, Actor: actor, Timestamp: t, Data: map[string]string{}}
		switch k := g.r.IntN(20); {
		case k < 12:
			tagName := fmt.Sprintf("v1.%d.%d", g.r.IntN(20), g.r.IntN(10))
			digest := "sha256:" + g.hex(64)
			ev.Action, ev.Name = "repo.tag.push", repo
			ev.Data["tag"], ev.Data["digest"] = tagName, digest
			ev.Description = fmt.Sprintf("pushed the tag %s with the digest %s to the repository %s", tagName, digest, repo)
		case k < 14:
			ev.Action, ev.Name = "repo.tag.delete", repo
			tagName := fmt.Sprintf("pr-%d", 100+g.r.IntN(900))
			ev.Data["tag"] = tagName
			ev.Description = fmt.Sprintf("deleted the tag %s from the repository %s", tagName, repo)
		case k < 15:
			ev.Action, ev.Name = "repo.change_privacy", repo
			ev.Data["privacy"] = g.pick([]string{"private", "public"})
			ev.Description = fmt.Sprintf("made the repository %s %s", repo, ev.Data["privacy"])
		case k < 16:
			ev.Action, ev.Name = "repo.create", repo
			ev.Description = "created the repository " + repo
		case k < 17:
			who := members[g.r.IntN(len(members))]
			team := g.pick(g.teamNames)
			ev.Action, ev.Name = "org.team.member.add", who
			ev.Data["team"] = team
			ev.Description = fmt.Sprintf("added %s to the team %s", who, team)
		case k < 18:
			who := members[g.r.IntN(len(members))]
			ev.Action, ev.Name = "org.member.role.change", DemoOrg
			ev.Data["member"], ev.Data["role"] = who, g.pick([]string{RoleMember, RoleEditor})
			ev.Description = fmt.Sprintf("changed the role of %s to %s", who, ev.Data["role"])
		case k < 19:
			ev.Action, ev.Name = "org.access_token.create", DemoOrg
			ev.Data["label"] = "ci-" + g.hex(4)
			ev.Description = "created the organization access token " + ev.Data["label"]
		default:
			ev.Action, ev.Name = "org.settings.update", DemoOrg
			ev.Description = "updated the organization settings"
		}
		o.Audit = append(o.Audit, ev)
	}
}

// readme is a repository's Markdown full description.
func readme(ns, name, desc string) string {
	return fmt.Sprintf(`# %s/%s

%s.

## Quick start

`+"```sh\ndocker pull %s/%s:latest\ndocker run --rm -p 8080:8080 %s/%s:latest\n```"+`

## Tags

| tag | what |
| --- | --- |
| latest | the newest stable release |
| edge | built from main on every merge |

## Configuration

Set `+"`LOG_LEVEL`"+` to `+"`debug`"+` for verbose output. See the [docs](https://docs.acme.example/%s).
`, ns, name, desc, ns, name, ns, name, name)
}

func sortStrings(xs []string) { slices.Sort(xs) }

// Word lists for realistic names, split into gen's slices.
const (
	wordsFirst    = "alice,bob,carol,dave,eve,frank,grace,heidi,ivan,judy,mallory,niaj,oscar,peggy,rupert,sybil,trent,victor,walter,yolanda,zoe,amir,bea,chen,dmitri,elena,farid,gita,hana,igor,jonas,kofi,lena,mateo,nadia,omar,priya,quinn,rosa,sven,tara,ugo,vera,wei,xena,yusuf,zara"
	wordsLast     = "Nakamura,Okafor,Silva,Schmidt,Kowalski,Haddad,Fischer,Moreau,Rossi,Novak,Jensen,Ivanova,Tanaka,Garcia,Smith,Brown,Dubois,Kim,Singh,Lopez"
	wordsCities   = "Berlin,Lisbon,Toronto,Austin,Bangalore,Nairobi,Osaka,Krakow,Dublin,Sao Paulo"
	wordsRepos    = "web,api,worker,payments-api,billing,auth-service,gateway,frontend,admin-console,search,notifications,scheduler,ingest,etl-jobs,ml-inference,feature-store,docs,status-page,postgres-backup,redis-exporter,nginx-proxy,envoy-config,ci-runner,build-cache,base-alpine,base-debian,python-base,node-base,go-builder,java-runtime,checkout,cart,catalog,inventory,shipping,pricing,recommendations,analytics,reporting,metrics-agent,log-shipper,tracing-collector,vault-agent,cert-manager,dns-sync,backup-operator,kafka-connect,stream-processor,image-resizer,pdf-renderer,mailer,sms-gateway,webhooks,cron,migrations,seed-data,e2e-tests,load-tester,sandbox,playground"
	wordsPrefixes = "team,svc,lab,tools,infra"
	wordsDesc     = "Production image for,Container for,Service:,Internal,Minimal,Hardened"
	wordsTeams    = "owners,platform,backend,frontend,data,security,sre,mobile,release-engineering,qa"
)
