package audit

import "regexp"

// Names of the default watch rules. A config rule of the same name
// replaces the default.
const (
	RuleTokenCreated  = "token-created"
	RuleMemberRemoved = "member-removed"
	RuleOwnerRole     = "member-made-owner"
	RuleOwnersTeam    = "added-to-owners"
	RuleRepoPublic    = "repo-made-public"
	RuleOrgSettings   = "org-settings-changed"
)

// DefaultRules are the watch rules hubtui ships with (Source "default"):
// an organization access token created, a member removed from the
// organization, a member raised to owner (by a role change, or by being
// added to the owners team, which makes an owner on Docker Hub), a
// repository made public, and the organization's settings changed (image
// access settings, registry access management). Each highlights and counts;
// the token and owner ones ring the bell too.
func DefaultRules() []Rule {
	exact := func(action string) []*regexp.Regexp {
		return []*regexp.Regexp{regexp.MustCompile("^" + regexp.QuoteMeta(action) + "$")}
	}
	is := func(v string) *regexp.Regexp { return regexp.MustCompile("^" + regexp.QuoteMeta(v) + "$") }
	return []Rule{
		{Name: RuleTokenCreated, Actions: exact("org.access_token.create"),
			Highlight: true, Bell: true, Count: true, Source: "default",
			Summary: "action org.access_token.create"},
		{Name: RuleMemberRemoved, Actions: exact("org.member.remove"),
			Highlight: true, Count: true, Source: "default",
			Summary: "action org.member.remove"},
		{Name: RuleOwnerRole, Actions: exact("org.member.role.change"), Data: map[string]*regexp.Regexp{"role": is("owner")},
			Highlight: true, Bell: true, Count: true, Source: "default",
			Summary: "action org.member.role.change, data role=owner"},
		{Name: RuleOwnersTeam, Actions: exact("org.team.member.add"), Data: map[string]*regexp.Regexp{"team": is("owners")},
			Highlight: true, Bell: true, Count: true, Source: "default",
			Summary: "action org.team.member.add, data team=owners"},
		{Name: RuleRepoPublic, Actions: exact("repo.change_privacy"), Data: map[string]*regexp.Regexp{"privacy": is("public")},
			Highlight: true, Count: true, Source: "default",
			Summary: "action repo.change_privacy, data privacy=public"},
		{Name: RuleOrgSettings, Actions: []*regexp.Regexp{
			regexp.MustCompile(`^org\.settings\.update$`),
			regexp.MustCompile(`^org\.registry_access\..*$`),
		}, Highlight: true, Count: true, Source: "default",
			Summary: "action org.settings.update or org.registry_access.*"},
	}
}
