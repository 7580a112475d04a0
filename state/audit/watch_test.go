package audit

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func event(action, actor, name string, data ...string) hubclient.AuditLog {
	e := hubclient.AuditLog{Account: "acme", Action: action, Actor: actor, Name: name, Timestamp: t0, Data: map[string]string{}}
	for i := 0; i+1 < len(data); i += 2 {
		e.Data[data[i]] = data[i+1]
	}
	return e
}

// hitNames names the rules h matched.
func hitNames(w *Watch, h Hit) string {
	var out []string
	for _, i := range h.Rules {
		out = append(out, w.Rules()[i].Name)
	}
	return strings.Join(out, ",")
}

func TestDefaultRulesMatchWhatTheyName(t *testing.T) {
	w := NewWatch(DefaultRules())
	for _, c := range []struct {
		e    hubclient.AuditLog
		want string
		bell bool
	}{
		{event("org.access_token.create", "demo", "acme", "label", "ci"), RuleTokenCreated, true},
		{event("org.access_token.delete", "demo", "acme"), "", false},
		{event("org.access_token.create.extra", "demo", "acme"), "", false}, // exact, not a prefix
		{event("org.member.remove", "demo", "acme", "member", "max"), RuleMemberRemoved, false},
		{event("org.team.member.remove", "demo", "max", "team", "owners"), "", false},
		{event("org.member.role.change", "demo", "acme", "member", "max", "role", "owner", "previous_role", "member"), RuleOwnerRole, true},
		{event("org.member.role.change", "demo", "acme", "member", "max", "role", "editor", "previous_role", "owner"), "", false},
		{event("org.member.role.change", "demo", "acme", "member", "max", "role", "owners"), "", false}, // anchored
		{event("org.member.role.change", "demo", "acme"), "", false},                                    // no role field
		{event("org.team.member.add", "demo", "max", "team", "owners"), RuleOwnersTeam, true},
		{event("org.team.member.add", "demo", "max", "team", "devs"), "", false},
		{event("repo.change_privacy", "demo", "acme/web", "privacy", "public"), RuleRepoPublic, false},
		{event("repo.change_privacy", "demo", "acme/web", "privacy", "private"), "", false},
		{event("org.settings.update", "demo", "acme", "restricted_images", "true"), RuleOrgSettings, false},
		{event("org.registry_access.enabled", "demo", "acme"), RuleOrgSettings, false},
		{event("org.registry_access.registry_added", "demo", "acme", "registry", "ghcr.io"), RuleOrgSettings, false},
		{event("org.registry_accessible", "demo", "acme"), "", false}, // the group ends at the dot
		{event("repo.tag.push", "demo", "acme/web", "tag", "latest"), "", false},
	} {
		h := w.Match(c.e)
		if got := hitNames(w, h); got != c.want {
			t.Errorf("%s %v: matched %q, want %q", c.e.Action, c.e.Data, got, c.want)
		}
		if h.Bell != c.bell {
			t.Errorf("%s: bell %v, want %v", c.e.Action, h.Bell, c.bell)
		}
		if c.want != "" && (!h.Highlight || !h.Count) {
			t.Errorf("%s: a default rule should highlight and count: %+v", c.e.Action, h)
		}
	}
	for _, r := range DefaultRules() {
		if r.Source != "default" || r.Summary == "" || r.Name == "" {
			t.Errorf("default rule %+v lacks a name, source or summary", r)
		}
	}
}

func TestRuleMatchesEveryPartItNames(t *testing.T) {
	r := Rule{Name: "ci-pushes",
		Actions: []*regexp.Regexp{regexp.MustCompile(`^repo\.tag\..*$`), regexp.MustCompile(`^repo\.create$`)}, // a group and one action
		Actor:   regexp.MustCompile(`^ci-.*$`),                                                                 // a glob ci-*
		Object:  regexp.MustCompile(`^acme/(web|api)$`),                                                        // a regexp
		Data:    map[string]*regexp.Regexp{"tag": regexp.MustCompile(`^v\d+\.\d+$`)},
	}
	for _, c := range []struct {
		e    hubclient.AuditLog
		want bool
	}{
		{event("repo.tag.push", "ci-bot", "acme/web", "tag", "v1.2"), true},
		{event("repo.tag.delete", "ci-bot", "acme/api", "tag", "v10.0"), true},
		{event("repo.create", "ci-bot", "acme/web", "tag", "v1.0"), true},
		{event("repo.delete", "ci-bot", "acme/web", "tag", "v1.2"), false},            // action
		{event("repo.tag.push", "demo", "acme/web", "tag", "v1.2"), false},            // actor
		{event("repo.tag.push", "ci-bot", "acme/webapp", "tag", "v1.2"), false},       // object
		{event("repo.tag.push", "ci-bot", "acme/web", "tag", "latest"), false},        // data value
		{event("repo.tag.push", "ci-bot", "acme/web"), false},                         // data field missing
		{event("repo.tag.push", "ci-bot", "acme/web", "tag", "v1.2", "x", "y"), true}, // other fields do not matter
	} {
		if got := r.Matches(c.e); got != c.want {
			t.Errorf("%s by %s on %s %v: %v, want %v", c.e.Action, c.e.Actor, c.e.Name, c.e.Data, got, c.want)
		}
	}
	if !(&Rule{}).Matches(event("anything", "", "")) {
		t.Error("a rule with no patterns should match every event")
	}
}

func TestWatchCountsAndResets(t *testing.T) {
	rules := append(DefaultRules(), Rule{Name: "any-token", Actions: []*regexp.Regexp{regexp.MustCompile(`^org\.access_token\..*$`)}, Highlight: true})
	w := NewWatch(rules)
	tok := event("org.access_token.create", "demo", "acme")
	if h := w.Match(tok); len(h.Rules) != 2 || w.Hits(0) != 0 {
		t.Fatalf("Match counted or missed: %+v, hits %d", h, w.Hits(0))
	}
	w.Observe(tok)
	w.Observe(tok)
	w.Observe(event("org.access_token.delete", "demo", "acme"))
	w.Observe(event("repo.tag.push", "demo", "acme/web"))
	last := len(rules) - 1
	if w.Hits(0) != 2 || w.Hits(last) != 3 || w.Hits(1) != 0 {
		t.Fatalf("hits token-created %d, any-token %d, member-removed %d; want 2, 3, 0", w.Hits(0), w.Hits(last), w.Hits(1))
	}
	// The delete matched only a rule that does not count.
	if w.Counted() != 2 || w.Observed() != 4 {
		t.Fatalf("counted %d of %d observed, want 2 of 4", w.Counted(), w.Observed())
	}
	w.Reset()
	if w.Hits(0) != 0 || w.Hits(last) != 0 || w.Counted() != 0 || w.Observed() != 0 || len(w.Rules()) != len(rules) {
		t.Fatalf("Reset left counts or lost rules: %d %d %d", w.Hits(0), w.Counted(), len(w.Rules()))
	}
	var none *Watch
	if h := none.Observe(tok); len(h.Rules) != 0 || none.Counted() != 0 || none.Rules() != nil {
		t.Fatal("a nil Watch matched")
	}
	none.Reset()
}

func TestWatchOnly(t *testing.T) {
	w := NewWatch(DefaultRules())
	w.Observe(event("org.member.remove", "demo", "acme"))
	o, err := w.Only([]string{RuleRepoPublic, RuleMemberRemoved})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(o.Rules()); got != 2 || o.Rules()[0].Name != RuleRepoPublic || o.Hits(1) != 0 {
		t.Fatalf("Only gave %d rules, first %q, hits %d", got, o.Rules()[0].Name, o.Hits(1))
	}
	_, err = w.Only([]string{"nope"})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), RuleTokenCreated) {
		t.Fatalf("unknown rule: %v", err)
	}
	if _, err := NewWatch(nil).Only([]string{"x"}); err == nil || !strings.Contains(err.Error(), "no rules") {
		t.Fatalf("unknown rule without rules: %v", err)
	}
}

func TestRuleDescribeAndDoes(t *testing.T) {
	r := Rule{Actions: []*regexp.Regexp{regexp.MustCompile(`^a$`)}, Actor: regexp.MustCompile(`x`),
		Data: map[string]*regexp.Regexp{"b": regexp.MustCompile(`1`), "a": regexp.MustCompile(`2`)}, Bell: true}
	if got, want := r.Describe(), "action re:^a$, actor re:x, data a=re:2, data b=re:1"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := r.Does(); got != "bell" {
		t.Errorf("Does = %q", got)
	}
	if got := (&Rule{}).Describe(); got != "every event" {
		t.Errorf("empty Describe = %q", got)
	}
	if got := (&Rule{}).Does(); !strings.HasPrefix(got, "nothing") {
		t.Errorf("empty Does = %q", got)
	}
}

// BenchmarkWatchMatch matches a mix of events against the default rules
// and 20 more (globs, groups, regexps, data fields), as a busy tail would.
func BenchmarkWatchMatch(b *testing.B) {
	rules := DefaultRules()
	for i := range 20 {
		r := Rule{Name: fmt.Sprintf("r%d", i), Highlight: true, Count: true}
		switch i % 4 {
		case 0:
			r.Actions = []*regexp.Regexp{regexp.MustCompile(`^repo\.tag(\..*)?$`)}
			r.Object = regexp.MustCompile(fmt.Sprintf(`^acme/svc-%d.*$`, i))
		case 1:
			r.Actions = []*regexp.Regexp{regexp.MustCompile(`^org\.team\.member\..*$`)}
			r.Data = map[string]*regexp.Regexp{"team": regexp.MustCompile(fmt.Sprintf(`^team-%d$`, i))}
		case 2:
			r.Actor = regexp.MustCompile(fmt.Sprintf(`^ci-%d-.*$`, i))
		case 3:
			r.Actions = []*regexp.Regexp{regexp.MustCompile(`^repo\..*$`), regexp.MustCompile(`^org\.member\..*$`)}
			r.Data = map[string]*regexp.Regexp{"tag": regexp.MustCompile(`^v\d+\.\d+\.\d+-rc\d*$`)}
		}
		rules = append(rules, r)
	}
	w := NewWatch(rules)
	evs := []hubclient.AuditLog{
		event("repo.tag.push", "ci-bot", "acme/web", "tag", "v1.2.3", "digest", "sha256:abc"),
		event("repo.tag.push", "ci-3-bot", "acme/svc-4", "tag", "latest"),
		event("org.team.member.add", "demo", "max", "team", "team-5"),
		event("org.member.role.change", "demo", "acme", "member", "max", "role", "owner"),
		event("repo.change_privacy", "demo", "acme/web", "privacy", "public"),
		event("org.access_token.create", "demo", "acme", "label", "ci-run-1"),
		event("repo.pull", "ci-bot", "acme/web"),
		event("org.settings.update", "demo", "acme", "restricted_images", "true"),
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		w.Observe(evs[i%len(evs)])
	}
	b.ReportMetric(float64(len(rules)), "rules")
}
