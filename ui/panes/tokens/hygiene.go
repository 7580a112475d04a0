package tokens

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// Flag is one reason a token needs attention; a token's flags are OR-ed.
type Flag uint8

// The reasons a token needs attention.
const (
	// Expired: the token has an expiry that has passed.
	Expired Flag = 1 << iota
	// ExpiringSoon: the token expires within SoonWindow.
	ExpiringSoon
	// NeverUsed: the token was made more than NewGrace ago and never used.
	NeverUsed
	// Unused: the token was last used more than UnusedWindow ago.
	Unused
	// Broad: the token holds admin or organization-wide write scopes.
	Broad
)

// The windows of the hygiene checks.
const (
	SoonWindow   = 14 * 24 * time.Hour
	UnusedWindow = 90 * 24 * time.Hour
	// NewGrace is how long a token may stay unused before "never used"
	// counts against it: a token made a minute ago is not a problem.
	NewGrace = 7 * 24 * time.Hour
)

// Words are the flags in plain words, most urgent first.
func (f Flag) Words() []string {
	var out []string
	if f&Expired != 0 {
		out = append(out, "expired")
	}
	if f&ExpiringSoon != 0 {
		out = append(out, "expires soon")
	}
	if f&NeverUsed != 0 {
		out = append(out, "never used")
	}
	if f&Unused != 0 {
		out = append(out, "unused 90d+")
	}
	if f&Broad != 0 {
		out = append(out, "broad scopes")
	}
	return out
}

// String is the flags joined with commas ("" for none).
func (f Flag) String() string { return strings.Join(f.Words(), ", ") }

// timeFlags are the flags of a token's expiry and use.
func timeFlags(created time.Time, lastUsed, expires *time.Time, now time.Time) Flag {
	var f Flag
	if expires != nil {
		switch left := expires.Sub(now); {
		case left <= 0:
			f |= Expired
		case left <= SoonWindow:
			f |= ExpiringSoon
		}
	}
	switch {
	case lastUsed == nil:
		if now.Sub(created) > NewGrace {
			f |= NeverUsed
		}
	case now.Sub(*lastUsed) > UnusedWindow:
		f |= Unused
	}
	return f
}

// PATFlags are the reasons personal access token t needs attention at now.
// repo:admin is broad: it may delete repositories.
func PATFlags(t hubclient.AccessToken, now time.Time) Flag {
	f := timeFlags(t.CreatedAt, t.LastUsed, t.ExpiresAt, now)
	if slices.Contains(t.Scopes, hubclient.ScopeRepoAdmin) {
		f |= Broad
	}
	return f
}

// OATFlags are the reasons organization access token t needs attention at
// now. Broad: an edit scope on the organization, or push to every
// repository of a namespace ("org/*").
func OATFlags(t hubclient.OrgAccessToken, now time.Time) Flag {
	f := timeFlags(t.CreatedAt, t.LastUsedAt, t.ExpiresAt, now)
	if BroadResources(t.Resources) {
		f |= Broad
	}
	return f
}

// BroadResources reports whether res grant admin-like or org-wide write access.
func BroadResources(res []hubclient.OrgAccessTokenResource) bool {
	for _, r := range res {
		for _, sc := range r.Scopes {
			switch {
			case r.Type == hubclient.OATResourceOrg && strings.HasSuffix(sc, "-edit"):
				return true
			case r.Type == hubclient.OATResourceRepo && strings.HasSuffix(r.Path, "/*") &&
				(sc == hubclient.OATScopeRepoPush || sc == hubclient.OATScopeImagePush):
				return true
			}
		}
	}
	return false
}

// Counts are a list's tokens by reason, for the header.
type Counts struct {
	Total, Active, Soon, Expired, Unused, NeverUsed, Broad, Attention int
}

// count adds one token's flags.
func (c *Counts) count(f Flag, active bool) {
	c.Total++
	if active {
		c.Active++
	}
	if f&ExpiringSoon != 0 {
		c.Soon++
	}
	if f&Expired != 0 {
		c.Expired++
	}
	if f&Unused != 0 {
		c.Unused++
	}
	if f&NeverUsed != 0 {
		c.NeverUsed++
	}
	if f&Broad != 0 {
		c.Broad++
	}
	if f != 0 {
		c.Attention++
	}
}

// Expiry is how a token's expiry reads in a cell: "never", "expired",
// "in 5d", or the date.
func Expiry(expires *time.Time, now time.Time) string {
	if expires == nil {
		return "never"
	}
	left := expires.Sub(now)
	switch {
	case left <= 0:
		return "EXPIRED"
	case left <= SoonWindow:
		days := int(left.Hours() / 24)
		if days == 0 {
			return "in <1d !"
		}
		return "in " + strconv.Itoa(days) + "d !"
	}
	return expires.UTC().Format("2006-01-02")
}

// LastUsed is how a token's last use reads in a cell.
func LastUsed(t *time.Time, now time.Time) string {
	if t == nil {
		return "never"
	}
	d := now.Sub(*t)
	if d < 24*time.Hour {
		return "today"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d ago"
}
