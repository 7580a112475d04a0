package hubsim

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Repository access in the simulator, kept deliberately simple:
//
//   - Anyone, signed in or not, may read a public repository. A PAT needs
//     repo:public_read for that (every PAT scope implies it).
//   - Any member of an organization may read its repositories, private ones
//     too (a PAT needs repo:read for a private one). A private repository the
//     caller may not read answers 404, as if it did not exist.
//   - Editors and owners may create, update and delete repositories and
//     tags; a plain member may when a team they belong to holds the write
//     (create/update) or admin (delete, privacy, immutable tags, team
//     permissions) permission on that repository.
//   - PAT scopes: reads repo:read (repo:public_read for public repositories),
//     writes repo:write, deletes and privacy, immutable-tag and team-permission
//     changes repo:admin.
//   - OATs of the organization: the TYPE_ORG scope repo-read reads every
//     repository and repo-edit does everything; a TYPE_REPO resource whose
//     path matches ("acme/*", "acme/web", "*", "*/*/public" for public
//     repositories) grants repo-pull (read) and repo-push (read and write).
//   - In a personal namespace only its user may write.

// repoLevel is how much an operation needs on a repository.
type repoLevel int

const (
	levelRead  repoLevel = iota + 1 // view, list, pull
	levelWrite                      // create, change descriptions
	levelAdmin                      // delete repositories and tags, privacy, immutable tags, team permissions
)

// patScope is the PAT scope the level needs.
func (l repoLevel) patScope(private bool) string {
	switch l {
	case levelRead:
		if private {
			return "repo:read"
		}
		return "repo:public_read"
	case levelWrite:
		return "repo:write"
	}
	return "repo:admin"
}

// oatOrgScope is the TYPE_ORG scope of an OAT that grants the level.
func (l repoLevel) oatOrgScope() string {
	if l == levelRead {
		return "repo-read"
	}
	return "repo-edit"
}

// oatRepoScope is the TYPE_REPO scope that grants the level ("" for none).
func (l repoLevel) oatRepoScope() string {
	switch l {
	case levelRead:
		return "repo-pull"
	case levelWrite:
		return "repo-push"
	}
	return ""
}

// teamPerm is the permission a team holds on a repository: read, write, admin.
func teamPermRank(p string) int {
	switch p {
	case "admin":
		return 3
	case "write":
		return 2
	case "read":
		return 1
	}
	return 0
}

// denial is why a caller may not do something: the status and the words.
type denial struct {
	status int
	msg    string
}

func (d *denial) write(w http.ResponseWriter) { writeErrInfo(w, d.status, d.msg, nil) }

func repoNotFound(ns, name string) *denial {
	return &denial{http.StatusNotFound, fmt.Sprintf("Repository %s/%s not found.", ns, name)}
}

// optionalAuth authenticates a request that may also be anonymous: no
// Authorization header gives a nil principal; a bad one answers 401.
func (s *Server) optionalAuth(w http.ResponseWriter, r *http.Request) (*principal, bool) {
	if r.Header.Get("Authorization") == "" {
		return nil, true
	}
	p, ok := s.authenticate(w, r)
	if !ok {
		return nil, false
	}
	return &p, true
}

// repoCan decides whether p (nil: anonymous) may act at lvl on the
// repository ns/name, which is private or public (a repository to be created
// counts as private). The caller holds s.mu.
func (s *Server) repoCan(p *principal, ns, name string, private bool, lvl repoLevel) *denial {
	if lvl == levelRead && !private {
		if p != nil && p.Kind == KindPAT && maxPATScope(p.Scopes) < patScopeRank("repo:public_read") {
			return &denial{http.StatusForbidden, "The personal access token does not have the scope this operation needs (repo:public_read)."}
		}
		return nil
	}
	if p == nil {
		if lvl == levelRead {
			return repoNotFound(ns, name)
		}
		return &denial{http.StatusUnauthorized, "Authentication credentials were not provided."}
	}
	deny := func(msg string) *denial {
		if lvl == levelRead {
			return repoNotFound(ns, name)
		}
		return &denial{http.StatusForbidden, msg}
	}
	o := s.st.orgs[ns]
	if p.Kind == KindOAT {
		if o == nil || p.Org != ns {
			return deny(fmt.Sprintf("An organization access token of %s cannot change repositories of %s.", p.Org, ns))
		}
		t := o.OATs[p.TokenID]
		if oatAllows(t, lvl.oatOrgScope()) || oatAllows(t, "repo-edit") {
			return nil
		}
		// repo-push implies repo-pull; no repository scope grants admin.
		if lvl != levelAdmin && (oatRepoAllows(t, ns, name, private, lvl.oatRepoScope()) || oatRepoAllows(t, ns, name, private, "repo-push")) {
			return nil
		}
		need := lvl.oatOrgScope()
		if sc := lvl.oatRepoScope(); sc != "" {
			need += " or " + sc + " on " + ns + "/" + name
		}
		return &denial{http.StatusForbidden, "The organization access token does not have the scope this operation needs (" + need + ")."}
	}
	if o == nil {
		if p.User != ns {
			return deny(fmt.Sprintf("Only %s can change repositories in the namespace %s.", ns, ns))
		}
		return patDenial(p, lvl, private)
	}
	m := o.Members[p.User]
	if m == nil {
		return deny(fmt.Sprintf("You are not a member of the organization %s.", ns))
	}
	if lvl > levelRead && roleRank(m.Role) < roleRank(RoleEditor) {
		need := "write"
		if lvl == levelAdmin {
			need = "admin"
		}
		if teamPermRank(s.teamRepoPerm(o, p.User, name)) < teamPermRank(need) {
			return &denial{http.StatusForbidden, fmt.Sprintf(
				"This operation needs the editor or owner role in %s, or the %s permission on %s/%s through a team; you are %s.",
				ns, need, ns, name, articleRole(m.Role))}
		}
	}
	return patDenial(p, lvl, private)
}

// patDenial checks a PAT's scopes for lvl; nil for other principals.
func patDenial(p *principal, lvl repoLevel, private bool) *denial {
	need := lvl.patScope(private)
	if p.Kind == KindPAT && maxPATScope(p.Scopes) < patScopeRank(need) {
		return &denial{http.StatusForbidden, "The personal access token does not have the scope this operation needs (" + need + ")."}
	}
	return nil
}

// teamRepoPerm is the strongest permission any of user's teams in o holds
// on the repository name ("" for none).
func (s *Server) teamRepoPerm(o *org, user, name string) string {
	best := ""
	if name == "" {
		return best
	}
	for _, t := range o.Teams {
		if t.Members[user] && teamPermRank(t.RepoPerms[name]) > teamPermRank(best) {
			best = t.RepoPerms[name]
		}
	}
	return best
}

// oatRepoAllows reports whether one of t's TYPE_REPO resources covers
// ns/name with scope.
func oatRepoAllows(t *oat, ns, name string, private bool, scope string) bool {
	if t == nil {
		return false
	}
	for _, res := range t.Resources {
		if res.Type == "TYPE_REPO" && slices.Contains(res.Scopes, scope) && repoPathMatches(res.Path, ns, name, private) {
			return true
		}
	}
	return false
}

// repoPathMatches matches an OAT resource path: "*", "*/*/public" (every
// public repository), "ns/*" or "ns/name".
func repoPathMatches(pattern, ns, name string, private bool) bool {
	switch pattern {
	case "*":
		return true
	case "*/*/public":
		return !private
	}
	pns, pname, ok := strings.Cut(pattern, "/")
	if !ok || (pns != "*" && pns != ns) {
		return false
	}
	return pname == "*" || (name != "" && pname == name)
}

// lockFresh takes s.mu for reading once stale reports false, filling the
// lazily built caches (fill) under the write lock first when needed, and
// returns the matching unlock. Lazy caches must never be filled under the
// read lock: two readers would write them at once.
func (s *Server) lockFresh(stale func() bool, fill func()) (unlock func()) {
	for range 3 {
		s.mu.RLock()
		if !stale() {
			return s.mu.RUnlock
		}
		s.mu.RUnlock()
		s.mu.Lock()
		fill()
		s.mu.Unlock()
	}
	s.mu.Lock()
	fill()
	return s.mu.Unlock
}

// validRepoName checks ^[a-z0-9]+(?:[._-][a-z0-9]+)*$ and 2 to 255 characters.
func validRepoName(n string) bool {
	if len(n) < 2 || len(n) > 255 {
		return false
	}
	sep := true
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			sep = false
		case c == '.' || c == '_' || c == '-':
			if sep {
				return false
			}
			sep = true
		default:
			return false
		}
	}
	return !sep
}

const (
	maxDescription     = 100
	maxFullDescription = 25000
	repoNameRule       = "must be 2 to 255 lowercase letters, digits, and single separators . _ - between them"
	repoOrderings      = "name, -name, last_updated, -last_updated, pull_count, -pull_count"
)

// categoryJSON is a repository category.
type categoryJSON struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// repoEntryJSON is repository_list_entry.
type repoEntryJSON struct {
	Name              string         `json:"name"`
	Namespace         string         `json:"namespace"`
	RepositoryType    *string        `json:"repository_type"`
	Status            int            `json:"status"`
	StatusDescription string         `json:"status_description"`
	Description       string         `json:"description"`
	IsPrivate         bool           `json:"is_private"`
	StarCount         int64          `json:"star_count"`
	PullCount         int64          `json:"pull_count"`
	LastUpdated       *string        `json:"last_updated"`
	LastModified      *string        `json:"last_modified"`
	DateRegistered    string         `json:"date_registered"`
	Affiliation       string         `json:"affiliation"`
	MediaTypes        []string       `json:"media_types"`
	ContentTypes      []string       `json:"content_types"`
	Categories        []categoryJSON `json:"categories"`
	StorageSize       int64          `json:"storage_size"`
}

// legacyRepoJSON is an entry of the deprecated GET /v2/repositories/{ns}/,
// which answers a few more fields.
type legacyRepoJSON struct {
	repoEntryJSON
	User              string `json:"user"`
	IsAutomated       bool   `json:"is_automated"`
	CanEdit           bool   `json:"can_edit"`
	IsMigrated        bool   `json:"is_migrated"`
	CollaboratorCount int64  `json:"collaborator_count"`
	HubUser           string `json:"hub_user"`
	HasStarred        bool   `json:"has_starred"`
}

// repoPermsJSON is repo_permissions.
type repoPermsJSON struct {
	Read  bool `json:"read"`
	Write bool `json:"write"`
	Admin bool `json:"admin"`
}

// immutableJSON is immutable_tags_settings.
type immutableJSON struct {
	Enabled bool     `json:"enabled"`
	Rules   []string `json:"rules"`
}

// repoInfoJSON is repository_info.
type repoInfoJSON struct {
	User                  string         `json:"user"`
	Name                  string         `json:"name"`
	Namespace             string         `json:"namespace"`
	RepositoryType        *string        `json:"repository_type"`
	Status                int            `json:"status"`
	StatusDescription     string         `json:"status_description"`
	Description           string         `json:"description"`
	IsPrivate             bool           `json:"is_private"`
	IsAutomated           bool           `json:"is_automated"`
	StarCount             int64          `json:"star_count"`
	PullCount             int64          `json:"pull_count"`
	LastUpdated           string         `json:"last_updated"`
	LastModified          *string        `json:"last_modified"`
	DateRegistered        string         `json:"date_registered"`
	CollaboratorCount     int64          `json:"collaborator_count"`
	Affiliation           *string        `json:"affiliation"`
	HubUser               *string        `json:"hub_user"`
	HasStarred            bool           `json:"has_starred"`
	FullDescription       *string        `json:"full_description"`
	Permissions           repoPermsJSON  `json:"permissions"`
	MediaTypes            []string       `json:"media_types"`
	ContentTypes          []string       `json:"content_types"`
	Categories            []categoryJSON `json:"categories"`
	ImmutableTagsSettings immutableJSON  `json:"immutable_tags_settings"`
	StorageSize           *int64         `json:"storage_size"`
	Source                *string        `json:"source"`
}

// repoStats sums a repository's storage and collects its media types.
func repoStats(r *repo) (size int64, media []string) {
	seen := map[string]bool{}
	for _, t := range r.Tags {
		size += t.size()
		if t.MediaType != "" && !seen[t.MediaType] {
			seen[t.MediaType] = true
			media = append(media, t.MediaType)
		}
	}
	sort.Strings(media)
	if media == nil {
		media = []string{}
	}
	return size, media
}

func contentTypes(r *repo) []string {
	if len(r.Tags) == 0 {
		return []string{}
	}
	return []string{"image"}
}

func categoriesJSON(r *repo) []categoryJSON {
	out := make([]categoryJSON, 0, len(r.Categories))
	for _, c := range r.Categories {
		slug := strings.Map(func(c rune) rune {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				return c
			case c >= 'A' && c <= 'Z':
				return c + 'a' - 'A'
			}
			return '-'
		}, c)
		out = append(out, categoryJSON{Name: c, Slug: slug})
	}
	return out
}

func strPtr(s string) *string { return &s }

// entryJSON renders r as a repository_list_entry.
func entryJSON(r *repo) repoEntryJSON {
	size, media := repoStats(r)
	return repoEntryJSON{Name: r.Name, Namespace: r.Namespace, RepositoryType: strPtr("image"), Status: 1,
		StatusDescription: "active", Description: r.Description, IsPrivate: r.Private, StarCount: r.Stars,
		PullCount: r.Pulls, LastUpdated: tsPtr(r.Updated), LastModified: tsPtr(r.Modified), DateRegistered: ts(r.Created),
		MediaTypes: media, ContentTypes: contentTypes(r), Categories: categoriesJSON(r), StorageSize: size}
}

// infoJSON renders r as repository_info for p. The caller holds s.mu.
func (s *Server) infoJSON(p *principal, r *repo) repoInfoJSON {
	size, media := repoStats(r)
	rules := append([]string{}, r.ImmutableRules...)
	var source *string
	if r.Source != "" {
		source = strPtr(r.Source)
	}
	return repoInfoJSON{User: r.Namespace, Name: r.Name, Namespace: r.Namespace, RepositoryType: strPtr("image"),
		Status: 1, StatusDescription: "active", Description: r.Description, IsPrivate: r.Private,
		StarCount: r.Stars, PullCount: r.Pulls, LastUpdated: ts(r.Updated), LastModified: tsPtr(r.Modified),
		DateRegistered: ts(r.Created), Affiliation: strPtr(""), HubUser: strPtr(r.Namespace),
		FullDescription: strPtr(r.FullDescription),
		Permissions: repoPermsJSON{
			Read:  s.repoCan(p, r.Namespace, r.Name, r.Private, levelRead) == nil,
			Write: s.repoCan(p, r.Namespace, r.Name, r.Private, levelWrite) == nil,
			Admin: s.repoCan(p, r.Namespace, r.Name, r.Private, levelAdmin) == nil,
		},
		MediaTypes: media, ContentTypes: contentTypes(r), Categories: categoriesJSON(r),
		ImmutableTagsSettings: immutableJSON{Enabled: r.Immutable, Rules: rules},
		StorageSize:           &size,
		Source:                source,
	}
}

// routesRepos registers the handlers of this API area.
func (s *Server) routesRepos() {
	s.handle("GET /v2/namespaces/{namespace}/repositories", func(w http.ResponseWriter, r *http.Request) { s.listRepos(w, r, false) })
	s.handle("POST /v2/namespaces/{namespace}/repositories", s.createRepo)
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}", s.getRepo)
	s.handle("PATCH /v2/namespaces/{namespace}/repositories/{repository}/immutabletags", s.updateImmutableTags)
	s.handle("POST /v2/namespaces/{namespace}/repositories/{repository}/immutabletags/verify", s.verifyImmutableTags)
	s.handle("POST /v2/repositories/{namespace}/{repository}/groups", s.createRepoGroup)
	s.handle("GET /v2/repositories/{namespace}/{repository}/groups", s.listRepoGroups)
	s.handle("DELETE /v2/repositories/{namespace}/{repository}/groups/{group_id}", s.deleteRepoGroup)
	// Outside the document, served by the Hub and used by hub-tool and the
	// Terraform provider (contract/legacy.go names the shapes they share
	// with the document).
	s.handle("GET /v2/repositories/{namespace}/{$}", func(w http.ResponseWriter, r *http.Request) { s.listRepos(w, r, true) })
	s.handle("GET /v2/repositories/{namespace}/{repository}/{$}", s.getRepo)
	s.handle("PATCH /v2/repositories/{namespace}/{repository}/{$}", s.updateRepo)
	s.handle("DELETE /v2/repositories/{namespace}/{repository}/{$}", s.deleteRepo)
	s.handle("POST /v2/repositories/{namespace}/{repository}/privacy", s.setRepoPrivacy)
	s.handle("GET /v2/repositories/{namespace}/{repository}/groups/{group_id}", s.getRepoGroup)
	s.handle("PATCH /v2/repositories/{namespace}/{repository}/groups/{group_id}", s.patchRepoGroup)
}

// listRepos answers GET /v2/namespaces/{namespace}/repositories and, with
// legacy, the deprecated GET /v2/repositories/{namespace}/.
func (s *Server) listRepos(w http.ResponseWriter, r *http.Request, legacy bool) {
	p, ok := s.optionalAuth(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	q := r.URL.Query()
	ordering := q.Get("ordering")
	switch ordering {
	case "", "name", "-name", "last_updated", "-last_updated", "pull_count", "-pull_count":
	default:
		writeFieldErrors(w, "Invalid ordering value", map[string][]string{"ordering": {"Invalid ordering value. Must be one of: " + repoOrderings}})
		return
	}
	filter := strings.ToLower(q.Get("name"))
	nsName := r.PathValue("namespace")
	unlock := s.lockFresh(func() bool {
		ns := s.st.namespaces[nsName]
		return ns != nil && ns.sorted == nil
	}, func() {
		if ns := s.st.namespaces[nsName]; ns != nil {
			ns.names()
		}
	})
	ns := s.st.namespaces[nsName]
	if ns == nil {
		unlock()
		writeErrInfo(w, http.StatusNotFound, "Namespace not found: "+nsName, nil)
		return
	}
	names := ns.sorted
	seesAll := s.repoCan(p, nsName, "", true, levelRead) == nil
	var sel []*repo
	if !seesAll || filter != "" || (ordering != "" && ordering != "name" && ordering != "-name") {
		sel = make([]*repo, 0, len(names))
		for _, n := range names {
			rp := ns.Repos[n]
			if filter != "" && !strings.Contains(n, filter) {
				continue
			}
			if !seesAll && s.repoCan(p, nsName, n, rp.Private, levelRead) != nil {
				continue
			}
			sel = append(sel, rp)
		}
		switch strings.TrimPrefix(ordering, "-") {
		case "last_updated":
			sort.SliceStable(sel, func(i, j int) bool { return sel[i].Updated.Before(sel[j].Updated) })
		case "pull_count":
			sort.SliceStable(sel, func(i, j int) bool { return sel[i].Pulls < sel[j].Pulls })
		}
		if strings.HasPrefix(ordering, "-") {
			slices.Reverse(sel)
		}
	}
	total := len(names)
	if sel != nil {
		total = len(sel)
	}
	lo, hi, ok := pg.window(w, total)
	if !ok {
		unlock()
		return
	}
	at := func(i int) *repo {
		if sel != nil {
			return sel[i]
		}
		if ordering == "-name" {
			return ns.Repos[names[len(names)-1-i]]
		}
		return ns.Repos[names[i]]
	}
	var results any
	if legacy {
		out := make([]legacyRepoJSON, 0, hi-lo)
		for i := lo; i < hi; i++ {
			rp := at(i)
			out = append(out, legacyRepoJSON{repoEntryJSON: entryJSON(rp), User: rp.Namespace, HubUser: rp.Namespace,
				CanEdit: s.repoCan(p, rp.Namespace, rp.Name, rp.Private, levelWrite) == nil})
		}
		results = out
	} else {
		out := make([]repoEntryJSON, 0, hi-lo)
		for i := lo; i < hi; i++ {
			out = append(out, entryJSON(at(i)))
		}
		results = out
	}
	unlock()
	writeJSON(w, http.StatusOK, newPage(r, pg, total, results))
}

// createRepo answers POST /v2/namespaces/{namespace}/repositories. The
// document requires namespace in the body; like the Hub, hubsim takes it
// from the path when the body leaves it out.
func (s *Server) createRepo(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Name            *string `json:"name"`
		Namespace       *string `json:"namespace"`
		Description     string  `json:"description"`
		FullDescription string  `json:"full_description"`
		Registry        string  `json:"registry"`
		IsPrivate       bool    `json:"is_private"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	nsName := r.PathValue("namespace")
	info := map[string]string{}
	switch {
	case in.Name == nil || *in.Name == "":
		info["name"] = "This field is required."
	case !validRepoName(*in.Name):
		info["name"] = "The repository name " + repoNameRule + "."
	}
	// The path names the namespace, so the body may leave it out (the Hub
	// accepts that, and the Terraform provider sends none); one given must
	// be the path's.
	if in.Namespace != nil && *in.Namespace != "" && *in.Namespace != nsName {
		info["namespace"] = fmt.Sprintf("The namespace %q does not match the namespace of the URL (%q).", *in.Namespace, nsName)
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		info["description"] = "Ensure this field has no more than 100 characters."
	}
	if utf8.RuneCountInString(in.FullDescription) > maxFullDescription {
		info["full_description"] = "Ensure this field has no more than 25000 characters."
	}
	if in.Registry != "" && in.Registry != "docker.io" {
		info["registry"] = "Only the docker.io registry is supported."
	}
	if len(info) > 0 {
		writeErrInfo(w, http.StatusBadRequest, "Invalid repository: "+joinInfo(info), info)
		return
	}
	name := *in.Name
	s.mu.Lock()
	ns := s.st.namespaces[nsName]
	if ns == nil {
		s.mu.Unlock()
		writeErrInfo(w, http.StatusNotFound, "Namespace not found: "+nsName, nil)
		return
	}
	if d := s.repoCan(&p, nsName, name, true, levelWrite); d != nil {
		s.mu.Unlock()
		d.write(w)
		return
	}
	if ns.Repos[name] != nil {
		s.mu.Unlock()
		writeErrInfo(w, http.StatusConflict, fmt.Sprintf("Repository %s/%s already exists.", nsName, name), map[string]string{"name": "A repository with this name already exists in " + nsName + "."})
		return
	}
	now := s.clock.Now().UTC()
	rp := &repo{ID: s.st.id(), Namespace: nsName, Name: name, Description: in.Description, FullDescription: in.FullDescription,
		Private: in.IsPrivate, Created: now, Updated: now, Modified: now, Tags: map[string]*tag{}}
	ns.Repos[name] = rp
	ns.sorted = nil
	full := nsName + "/" + name
	s.audit(nsName, "repo.create", full, p, "created the repository "+full, map[string]string{"privacy": privacy(in.IsPrivate)})
	out := s.infoJSON(&p, rp)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func privacy(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

// joinInfo lists field errors in field order for a detail sentence.
func joinInfo(info map[string]string) string {
	keys := make([]string, 0, len(info))
	for k := range info {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + info[k]
	}
	return strings.Join(parts, "; ")
}

// findRepo looks up the request's repository and checks lvl, writing the
// answer when it fails. The caller holds s.mu, which unlock releases: when
// findRepo fails it releases the lock itself, so the caller just returns.
func (s *Server) findRepo(w http.ResponseWriter, r *http.Request, p *principal, lvl repoLevel, unlock func()) *repo {
	nsName, name := r.PathValue("namespace"), r.PathValue("repository")
	rp := s.st.repoOf(nsName, name)
	var d *denial
	if rp == nil {
		d = repoNotFound(nsName, name)
	} else if d = s.repoCan(p, nsName, name, rp.Private, levelRead); d == nil && lvl > levelRead {
		d = s.repoCan(p, nsName, name, rp.Private, lvl)
	}
	if d != nil {
		unlock()
		d.write(w)
		return nil
	}
	return rp
}

// readRepo authenticates the caller, who may be anonymous, read-locks s.mu
// and finds the request's repository (see findRepo). When the repository is
// nil the answer is written and the lock released; otherwise the caller
// holds s.mu for reading and must release it.
func (s *Server) readRepo(w http.ResponseWriter, r *http.Request) (*principal, *repo) {
	p, ok := s.optionalAuth(w, r)
	if !ok {
		return nil, nil
	}
	s.mu.RLock()
	return p, s.findRepo(w, r, p, levelRead, s.mu.RUnlock)
}

// getRepo answers GET and HEAD /v2/namespaces/{namespace}/repositories/{repository}
// and its legacy spelling /v2/repositories/{namespace}/{repository}/.
func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	p, rp := s.readRepo(w, r)
	if rp == nil {
		return
	}
	out := s.infoJSON(p, rp)
	s.mu.RUnlock()
	writeGetOrHead(w, r, out)
}

// updateRepo answers PATCH /v2/repositories/{namespace}/{repository}/:
// description and full_description need write access, is_private admin.
func (s *Server) updateRepo(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Description     *string `json:"description"`
		FullDescription *string `json:"full_description"`
		IsPrivate       *bool   `json:"is_private"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	fields := map[string][]string{}
	if in.Description != nil && utf8.RuneCountInString(*in.Description) > maxDescription {
		fields["description"] = []string{"Ensure this field has no more than 100 characters."}
	}
	if in.FullDescription != nil && utf8.RuneCountInString(*in.FullDescription) > maxFullDescription {
		fields["full_description"] = []string{"Ensure this field has no more than 25000 characters."}
	}
	if len(fields) > 0 {
		writeFieldErrors(w, "Invalid repository update.", fields)
		return
	}
	lvl := levelWrite
	if in.IsPrivate != nil {
		lvl = levelAdmin
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, lvl, s.mu.Unlock)
	if rp == nil {
		return
	}
	full := rp.Namespace + "/" + rp.Name
	now := s.clock.Now().UTC()
	var changed []string
	if in.Description != nil && *in.Description != rp.Description {
		rp.Description = *in.Description
		changed = append(changed, "description")
	}
	if in.FullDescription != nil && *in.FullDescription != rp.FullDescription {
		rp.FullDescription = *in.FullDescription
		changed = append(changed, "full_description")
	}
	if len(changed) > 0 {
		rp.Modified = now
		s.audit(rp.Namespace, "repo.update_description", full, p, "updated the "+strings.Join(changed, " and ")+" of the repository "+full,
			map[string]string{"fields": strings.Join(changed, ",")})
	}
	if in.IsPrivate != nil {
		s.setPrivacy(p, rp, *in.IsPrivate)
	}
	out := s.infoJSON(&p, rp)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// setPrivacy makes rp private or public, auditing a change. The caller
// holds s.mu for writing and has checked admin access.
func (s *Server) setPrivacy(p principal, rp *repo, private bool) {
	if private == rp.Private {
		return
	}
	rp.Private = private
	rp.Modified = s.clock.Now().UTC()
	full := rp.Namespace + "/" + rp.Name
	s.audit(rp.Namespace, "repo.change_privacy", full, p, "made the repository "+full+" "+privacy(rp.Private),
		map[string]string{"privacy": privacy(rp.Private)})
}

// setRepoPrivacy answers POST /v2/repositories/{namespace}/{repository}/privacy
// (outside the document; the Terraform provider calls it) with body
// {"is_private": bool}: it needs admin access, as changing is_private with
// PATCH does, and answers the repository_info.
func (s *Server) setRepoPrivacy(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		IsPrivate *bool `json:"is_private"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.IsPrivate == nil {
		writeErrInfo(w, http.StatusBadRequest, "is_private: This field is required.", map[string]string{"is_private": "This field is required."})
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	s.setPrivacy(p, rp, *in.IsPrivate)
	out := s.infoJSON(&p, rp)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// deleteRepo answers DELETE /v2/repositories/{namespace}/{repository}/ with
// 202, as the Hub does; team permissions on the repository go with it.
func (s *Server) deleteRepo(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	ns := s.st.namespaces[rp.Namespace]
	delete(ns.Repos, rp.Name)
	ns.sorted = nil
	if o := s.st.orgs[rp.Namespace]; o != nil {
		for _, t := range o.Teams {
			delete(t.RepoPerms, rp.Name)
		}
	}
	full := rp.Namespace + "/" + rp.Name
	s.audit(rp.Namespace, "repo.delete", full, p, "deleted the repository "+full, nil)
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// compileRule compiles an immutable tag rule; a rule matches whole tags.
func compileRule(rule string) (*regexp.Regexp, error) {
	if strings.TrimSpace(rule) == "" {
		return nil, fmt.Errorf("empty rule")
	}
	return regexp.Compile("^(?:" + rule + ")$")
}

// immutableRule returns the first of rp's rules that tagName matches, or "".
func immutableRule(rp *repo, tagName string) string {
	if !rp.Immutable {
		return ""
	}
	for _, rule := range rp.ImmutableRules {
		if re, err := compileRule(rule); err == nil && re.MatchString(tagName) {
			return rule
		}
	}
	return ""
}

// updateImmutableTags answers PATCH .../immutabletags.
func (s *Server) updateImmutableTags(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Enabled *bool     `json:"immutable_tags"`
		Rules   *[]string `json:"immutable_tags_rules"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	info := map[string]string{}
	if in.Enabled == nil {
		info["immutable_tags"] = "This field is required."
	}
	if in.Rules == nil {
		info["immutable_tags_rules"] = "This field is required."
	} else {
		for _, rule := range *in.Rules {
			if _, err := compileRule(rule); err != nil {
				info["immutable_tags_rules"] = fmt.Sprintf("Invalid rule %q: %v", rule, err)
				break
			}
		}
		if in.Enabled != nil && *in.Enabled && len(*in.Rules) == 0 {
			info["immutable_tags_rules"] = "Give at least one rule to turn immutable tags on."
		}
	}
	if len(info) > 0 {
		writeErrInfo(w, http.StatusBadRequest, "Invalid immutable tags settings: "+joinInfo(info), info)
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	rp.Immutable = *in.Enabled
	rp.ImmutableRules = append([]string{}, *in.Rules...)
	rp.Modified = s.clock.Now().UTC()
	full := rp.Namespace + "/" + rp.Name
	state := "off"
	if rp.Immutable {
		state = "on"
	}
	s.audit(rp.Namespace, "repo.immutable.tags.updated", full, p,
		fmt.Sprintf("turned immutable tags %s for the repository %s (rules: %s)", state, full, strings.Join(rp.ImmutableRules, ", ")),
		map[string]string{"immutable_tags": strconv.FormatBool(rp.Immutable), "rules": strings.Join(rp.ImmutableRules, ",")})
	out := s.infoJSON(&p, rp)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// verifyImmutableTags answers POST .../immutabletags/verify with the
// repository's tags that the rule matches, newest first.
func (s *Server) verifyImmutableTags(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		Regex *string `json:"regex"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Regex == nil || *in.Regex == "" {
		writeErrInfo(w, http.StatusBadRequest, "regex: This field is required.", map[string]string{"regex": "This field is required."})
		return
	}
	re, err := compileRule(*in.Regex)
	if err != nil {
		writeErrInfo(w, http.StatusBadRequest, "regex: invalid regular expression: "+err.Error(), map[string]string{"regex": err.Error()})
		return
	}
	unlock := s.freshTags(r)
	rp := s.findRepo(w, r, &p, levelAdmin, unlock)
	if rp == nil {
		return
	}
	matched := []string{}
	for _, t := range rp.tagOrder {
		if re.MatchString(t) {
			matched = append(matched, t)
		}
	}
	unlock()
	writeJSON(w, http.StatusOK, map[string][]string{"tags": matched})
}

// repoGroupJSON is RepositoryGroup.
type repoGroupJSON struct {
	GroupName  string `json:"group_name"`
	Permission string `json:"permission"`
	GroupID    int64  `json:"group_id"`
}

// createRepoGroup answers POST /v2/repositories/{namespace}/{repository}/groups:
// it grants a team a permission on the repository (replacing the one it had).
func (s *Server) createRepoGroup(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		GroupID    *int64 `json:"group_id"`
		Permission string `json:"permission"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	info := map[string]string{}
	if in.GroupID == nil || *in.GroupID <= 0 {
		info["group_id"] = "A valid group (team) id is required."
	}
	if teamPermRank(in.Permission) == 0 {
		info["permission"] = "Must be one of: read, write, admin."
	}
	if len(info) > 0 {
		writeErrInfo(w, http.StatusBadRequest, "Invalid repository group: "+joinInfo(info), info)
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	t := teamWithID(s.st.orgs[rp.Namespace], *in.GroupID)
	if t == nil {
		s.mu.Unlock()
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("Team %d not found in %s.", *in.GroupID, rp.Namespace), nil)
		return
	}
	if t.RepoPerms == nil {
		t.RepoPerms = map[string]string{}
	}
	t.RepoPerms[rp.Name] = in.Permission
	full := rp.Namespace + "/" + rp.Name
	s.audit(rp.Namespace, "repo.team.permission.add", full, p,
		fmt.Sprintf("gave the team %s the %s permission on the repository %s", t.Name, in.Permission, full),
		map[string]string{"team": t.Name, "permission": in.Permission})
	out := repoGroupJSON{GroupName: t.Name, Permission: in.Permission, GroupID: t.ID}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// listRepoGroups answers GET /v2/repositories/{namespace}/{repository}/groups
// (outside the document): the teams holding a permission on the
// repository, by team name. Only org members see them.
func (s *Server) listRepoGroups(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	s.mu.RLock()
	rp := s.findRepo(w, r, &p, levelRead, s.mu.RUnlock)
	if rp == nil {
		return
	}
	var groups []repoGroupJSON
	if o := s.st.orgs[rp.Namespace]; o != nil {
		if p.Kind != KindOAT && o.Members[p.User] == nil {
			s.mu.RUnlock()
			writeErrInfo(w, http.StatusForbidden, "You are not a member of the organization "+rp.Namespace+".", nil)
			return
		}
		for _, t := range o.Teams {
			if perm := t.RepoPerms[rp.Name]; perm != "" {
				groups = append(groups, repoGroupJSON{GroupName: t.Name, Permission: perm, GroupID: t.ID})
			}
		}
	}
	s.mu.RUnlock()
	sort.Slice(groups, func(i, j int) bool { return groups[i].GroupName < groups[j].GroupName })
	lo, hi, ok := pg.window(w, len(groups))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(groups), append([]repoGroupJSON{}, groups[lo:hi]...)))
}

// groupIDParam reads the path's numeric group_id, answering 400 when it is
// not a number.
func groupIDParam(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("group_id"), 10, 64)
	if err != nil {
		writeErrInfo(w, http.StatusBadRequest, "group_id: a number is required.", map[string]string{"group_id": "A valid integer is required."})
		return 0, false
	}
	return id, true
}

// repoTeam finds the team id of rp's org that holds a permission on rp;
// otherwise it answers 404, calls unlock and returns nil. The caller holds s.mu.
func (s *Server) repoTeam(w http.ResponseWriter, rp *repo, id int64, unlock func()) *team {
	t := teamWithID(s.st.orgs[rp.Namespace], id)
	if t == nil || t.RepoPerms[rp.Name] == "" {
		unlock()
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("Team %d has no permission on %s/%s.", id, rp.Namespace, rp.Name), nil)
		return nil
	}
	return t
}

// teamWithID finds a team of o by id without changing anything, so it is
// safe under the read lock; nil for a personal namespace or no such team.
func teamWithID(o *org, id int64) *team {
	if o == nil {
		return nil
	}
	for _, t := range o.Teams {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// getRepoGroup answers GET /v2/repositories/{namespace}/{repository}/groups/{group_id}/
// (outside the document; the Terraform provider reads a team's permission
// with it) with the RepositoryGroup. Like the list, it is for members of
// the organization; 404 when the team holds no permission on the repository.
func (s *Server) getRepoGroup(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	id, ok := groupIDParam(w, r)
	if !ok {
		return
	}
	s.mu.RLock()
	rp := s.findRepo(w, r, &p, levelRead, s.mu.RUnlock)
	if rp == nil {
		return
	}
	o := s.st.orgs[rp.Namespace]
	if o != nil && p.Kind != KindOAT && o.Members[p.User] == nil {
		s.mu.RUnlock()
		writeErrInfo(w, http.StatusForbidden, "You are not a member of the organization "+rp.Namespace+".", nil)
		return
	}
	t := s.repoTeam(w, rp, id, s.mu.RUnlock)
	if t == nil {
		return
	}
	out := repoGroupJSON{GroupName: t.Name, Permission: t.RepoPerms[rp.Name], GroupID: t.ID}
	s.mu.RUnlock()
	writeJSON(w, http.StatusOK, out)
}

// patchRepoGroup answers PATCH /v2/repositories/{namespace}/{repository}/groups/{group_id}/
// (outside the document; the Terraform provider changes a team's
// permission with it) with body {"permission": "read"|"write"|"admin"}. It
// needs admin access, as granting does; a group_id in the body, when not
// 0, must be the path's. The team must already hold a permission (404
// otherwise: granting one is POST .../groups).
func (s *Server) patchRepoGroup(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	id, ok := groupIDParam(w, r)
	if !ok {
		return
	}
	var in struct {
		GroupID    *int64 `json:"group_id"`
		Permission string `json:"permission"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	info := map[string]string{}
	if teamPermRank(in.Permission) == 0 {
		info["permission"] = "Must be one of: read, write, admin."
	}
	if in.GroupID != nil && *in.GroupID != 0 && *in.GroupID != id {
		info["group_id"] = fmt.Sprintf("The group_id %d is not the team %d of the URL.", *in.GroupID, id)
	}
	if len(info) > 0 {
		writeErrInfo(w, http.StatusBadRequest, "Invalid repository group: "+joinInfo(info), info)
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	t := s.repoTeam(w, rp, id, s.mu.Unlock)
	if t == nil {
		return
	}
	if old := t.RepoPerms[rp.Name]; old != in.Permission {
		t.RepoPerms[rp.Name] = in.Permission
		full := rp.Namespace + "/" + rp.Name
		s.audit(rp.Namespace, "repo.team.permission.update", full, p,
			fmt.Sprintf("changed the permission of the team %s on the repository %s from %s to %s", t.Name, full, old, in.Permission),
			map[string]string{"team": t.Name, "permission": in.Permission, "previous_permission": old})
	}
	out := repoGroupJSON{GroupName: t.Name, Permission: in.Permission, GroupID: t.ID}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// deleteRepoGroup answers DELETE /v2/repositories/{namespace}/{repository}/groups/{group_id}
// (outside the document): the team loses its permission on the repository.
func (s *Server) deleteRepoGroup(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	id, ok := groupIDParam(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	t := s.repoTeam(w, rp, id, s.mu.Unlock)
	if t == nil {
		return
	}
	perm := t.RepoPerms[rp.Name]
	delete(t.RepoPerms, rp.Name)
	full := rp.Namespace + "/" + rp.Name
	s.audit(rp.Namespace, "repo.team.permission.remove", full, p,
		fmt.Sprintf("removed the %s permission of the team %s on the repository %s", perm, t.Name, full),
		map[string]string{"team": t.Name, "permission": perm})
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// activeSince is the default start of the "active" window: one month ago.
func activeSince(now time.Time) time.Time { return now.AddDate(0, -1, 0) }
