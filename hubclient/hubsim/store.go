package hubsim

import (
	"sort"
	"time"
)

// Org roles as the Hub names them.
const (
	RoleOwner  = "owner"
	RoleEditor = "editor"
	RoleMember = "member"
)

// store is the simulator's whole world. Every field is guarded by Server.mu.
type store struct {
	users      map[string]*user
	orgs       map[string]*org
	namespaces map[string]*namespace
	nextID     int64
}

func newStore() *store {
	return &store{users: map[string]*user{}, orgs: map[string]*org{}, namespaces: map[string]*namespace{}, nextID: 1000}
}

// id hands out increasing numeric ids.
func (st *store) id() int64 { st.nextID++; return st.nextID }

type user struct {
	ID            string
	Username      string
	FullName      string
	Company       string
	Location      string
	ProfileURL    string
	GravatarEmail string
	Email         string
	Emails        []email
	Password      string
	TOTPSecret    string // base32; two-factor auth is on when set
	Joined        time.Time
	LastLogin     time.Time
	// DesktopVersion is the Docker Desktop version the user last used; ""
	// for none. With LastLogin, the Hub shows it to orgs with insights.
	DesktopVersion string
	PATs           map[string]*pat // by uuid
	Modified       time.Time       // last profile change (SCIM meta.lastModified); zero: Joined
}

type email struct {
	ID       int64
	Address  string
	Verified bool
	Primary  bool
}

type pat struct {
	UUID      string
	Label     string
	Scopes    []string
	Token     string
	Active    bool
	Created   time.Time
	LastUsed  time.Time
	ExpiresAt time.Time // zero: never
	CreatorIP string
	CreatorUA string
}

type org struct {
	ID       string
	Name     string
	FullName string
	Company  string
	Created  time.Time
	Settings orgSettings
	Members  map[string]*member // by username
	Teams    map[string]*team   // by name
	Invites  map[string]*invite // by id
	OATs     map[string]*oat    // by id
	Audit    []auditEvent       // oldest first
	// Seats caps members plus pending invites (a bulk invite past it is
	// refused with 409); 0 means no cap.
	Seats int
	// SCIMDeactivated holds users a SCIM client deactivated (PUT with
	// enabled false): they left the org but SCIM still lists them as
	// inactive until reactivated. Nil until first used.
	SCIMDeactivated map[string]time.Time
	// SCIMOff makes the SCIM endpoints refuse the org, as for an org
	// without an SSO connection that has SCIM turned on.
	SCIMOff bool
}

type orgSettings struct {
	RestrictImages          bool
	AllowOfficialImages     bool
	AllowVerifiedPublishers bool
	// Registry Access Management: when RAMEnabled, members may pull only
	// from Docker Hub (when RAMDockerHub) and the allowed custom registries.
	RAMEnabled   bool
	RAMDockerHub bool
	RAMCustom    []customRegistry
}

// customRegistry is a registry other than Docker Hub in Registry Access
// Management.
type customRegistry struct {
	Address      string
	FriendlyName string
	Allowed      bool
}

type member struct {
	Username string
	Role     string
	Joined   time.Time
	LastSeen time.Time
}

type team struct {
	ID          int64
	UUID        string
	Name        string
	Description string
	Members     map[string]bool
	RepoPerms   map[string]string // repository name → read | write | admin
}

type invite struct {
	ID      string
	Inviter string
	Invitee string // username or e-mail
	Team    string
	Role    string
	Created time.Time
}

type oat struct {
	ID          string
	Label       string
	Description string
	Token       string
	CreatedBy   string
	Created     time.Time
	LastUsed    time.Time
	ExpiresAt   time.Time
	Active      bool
	Resources   []oatResource
}

type oatResource struct {
	Type   string // TYPE_REPO | TYPE_ORG
	Path   string // "acme/*", "acme/web", or "*"
	Scopes []string
}

type auditEvent struct {
	Account     string
	Action      string
	Name        string
	Actor       string
	Data        map[string]string
	Timestamp   time.Time
	Description string
}

type namespace struct {
	Name   string
	Repos  map[string]*repo
	sorted []string // repository names in server order; nil when stale
}

// names returns repository names sorted by name (the Hub's default order),
// cached until the next mutation.
func (ns *namespace) names() []string {
	if ns.sorted == nil {
		ns.sorted = make([]string, 0, len(ns.Repos))
		for n := range ns.Repos {
			ns.sorted = append(ns.sorted, n)
		}
		sort.Strings(ns.sorted)
	}
	return ns.sorted
}

type repo struct {
	ID              int64
	Namespace       string
	Name            string
	Description     string
	FullDescription string
	Private         bool
	Stars           int64
	Pulls           int64
	Created         time.Time
	Updated         time.Time
	Modified        time.Time
	Immutable       bool
	ImmutableRules  []string
	Categories      []string
	Tags            map[string]*tag
	tagOrder        []string // newest push first; nil when stale
	Source          string
	// Image management (images.go): manifests that tags used to point at,
	// seeded on first use, and the index of all manifests (nil when stale).
	FormerImages []formerImage
	imagesSeeded bool
	images       *imageIndex
}

// tagNames returns tags newest first (the Hub's default order for tags),
// cached until the next mutation.
func (r *repo) tagNames() []string {
	if r.tagOrder == nil {
		r.tagOrder = make([]string, 0, len(r.Tags))
		for n := range r.Tags {
			r.tagOrder = append(r.tagOrder, n)
		}
		sort.Slice(r.tagOrder, func(i, j int) bool {
			a, b := r.Tags[r.tagOrder[i]], r.Tags[r.tagOrder[j]]
			if !a.Updated.Equal(b.Updated) {
				return a.Updated.After(b.Updated)
			}
			return a.Name < b.Name
		})
	}
	return r.tagOrder
}

type tag struct {
	ID          int64
	Name        string
	Digest      string // manifest list / index digest
	MediaType   string
	Images      []platformImage
	Updated     time.Time
	Pushed      time.Time
	Pulled      time.Time
	LastUpdater string
}

type platformImage struct {
	Architecture string
	OS           string
	Variant      string
	Digest       string
	Size         int64
	Pushed       time.Time
	Pulled       time.Time
}

// size is the tag's full size: the sum of its platform images.
func (t *tag) size() int64 {
	var n int64
	for _, im := range t.Images {
		n += im.Size
	}
	return n
}

// repoOf finds a repository; nil when absent.
func (st *store) repoOf(ns, name string) *repo {
	n := st.namespaces[ns]
	if n == nil {
		return nil
	}
	return n.Repos[name]
}
