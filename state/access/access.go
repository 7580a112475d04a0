// Package access answers "who can do what" in an organization: every
// member's permission on each repository, through the teams they are in
// (owners hold admin on every repository). It reads members, repositories
// and, for each repository, the teams holding a permission on it — one
// request per repository, a few at a time inside the client's rate budget —
// and says which parts the Hub did not answer.
package access

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hubtui/hubtui/hubclient"
)

// Concurrency is how many repositories are asked about at once.
const Concurrency = 4

// AllRepositories is the repository of an owner's grant: every one.
const AllRepositories = "*"

// Grant is one member's permission on one repository, and where it comes from.
type Grant struct {
	Member     string // username
	Role       string // owner, editor or member in the org
	Team       string // the team giving it ("" for an owner's)
	Repository string // namespace/name, or AllRepositories
	Permission string // read, write or admin
}

// Report is the org's access.
type Report struct {
	Org        string
	Members    int
	Repos      int
	Grants     []Grant
	Unanswered []string // "acme/web: 403 …": parts the Hub did not answer
}

// Load reads org's access; progress (may be nil) is told after each
// repository, from several goroutines.
func Load(ctx context.Context, c *hubclient.Client, org string, progress func(done, total int)) (*Report, error) {
	members, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Member, *hubclient.Response, error) {
		return c.Members.List(ctx, org, &hubclient.MemberListOptions{ListOptions: o})
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("access of %s: %w", org, err)
	}
	repos, err := hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
		return c.Repos.List(ctx, org, &hubclient.RepoListOptions{ListOptions: o})
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("access of %s: %w", org, err)
	}
	type teamPerm struct{ repo, perm string }
	byTeam := map[string][]teamPerm{}
	var mu sync.Mutex
	var unanswered []string
	done := 0
	sem := make(chan struct{}, Concurrency)
	var wg sync.WaitGroup
	for _, r := range repos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			full := r.Namespace + "/" + r.Name
			var gs []hubclient.RepositoryGroup
			var err error
			if ctx.Err() == nil {
				gs, err = hubclient.ListAll(ctx, c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryGroup, *hubclient.Response, error) {
					return c.Repos.ListGroups(ctx, r.Namespace, r.Name, &o)
				}, nil)
			} else {
				err = ctx.Err()
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				unanswered = append(unanswered, full+": "+err.Error())
			}
			for _, g := range gs {
				byTeam[g.GroupName] = append(byTeam[g.GroupName], teamPerm{full, g.Permission})
			}
			done++
			if progress != nil {
				progress(done, len(repos))
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("access of %s: %w", org, err)
	}
	rep := &Report{Org: org, Members: len(members), Repos: len(repos), Unanswered: unanswered}
	for _, m := range members {
		if m.Role == hubclient.MemberRoleOwner {
			rep.Grants = append(rep.Grants, Grant{Member: m.Username, Role: m.Role, Repository: AllRepositories, Permission: hubclient.RepoPermissionAdmin})
		}
		for _, team := range m.Groups {
			for _, tp := range byTeam[team] {
				rep.Grants = append(rep.Grants, Grant{Member: m.Username, Role: m.Role, Team: team, Repository: tp.repo, Permission: tp.perm})
			}
		}
	}
	sort.Slice(rep.Grants, func(i, j int) bool {
		a, b := rep.Grants[i], rep.Grants[j]
		if a.Member != b.Member {
			return a.Member < b.Member
		}
		if a.Repository != b.Repository {
			return a.Repository < b.Repository
		}
		return a.Team < b.Team
	})
	sort.Strings(rep.Unanswered)
	return rep, nil
}

// Filter keeps the grants of one member and/or one repository ("" for
// any). Owners' grants on every repository count for each repository.
func Filter(gs []Grant, member, repo string) []Grant {
	var out []Grant
	for _, g := range gs {
		if member != "" && !strings.EqualFold(g.Member, member) {
			continue
		}
		if repo != "" && g.Repository != repo && g.Repository != AllRepositories {
			continue
		}
		out = append(out, g)
	}
	return out
}

// Rank orders permissions: read 1, write 2, admin 3.
func Rank(perm string) int {
	switch perm {
	case hubclient.RepoPermissionRead:
		return 1
	case hubclient.RepoPermissionWrite:
		return 2
	case hubclient.RepoPermissionAdmin:
		return 3
	}
	return 0
}

// AtLeast keeps the grants of at least perm ("who can push": write).
func AtLeast(gs []Grant, perm string) []Grant {
	var out []Grant
	for _, g := range gs {
		if Rank(g.Permission) >= Rank(perm) {
			out = append(out, g)
		}
	}
	return out
}
