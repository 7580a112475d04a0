package tags

import (
	"strings"
	"sync"
	"time"

	"github.com/hubtui/hubtui/hubclient"
)

// Row is what the list keeps of a tag: what its columns, sort, filter,
// copy and delete need, and nothing else. A repository can have 100,000
// tags; each image and its layers are fetched when a tag is opened.
// Repeated strings (platform lists, pushers, statuses) are shared.
type Row struct {
	Name      string
	Digest    string
	Platforms string // "linux/amd64, linux/arm64/v8"
	Pusher    string
	Status    string // active or inactive
	Size      int64
	// Pushed, Pulled and Updated are Unix seconds; 0 when the Hub gave none.
	Pushed, Pulled, Updated int64
}

// LastPushed is when the tag was last pushed (zero when unknown).
func (r Row) LastPushed() time.Time { return unix(r.Pushed) }

// LastPulled is when the tag was last pulled (zero when unknown).
func (r Row) LastPulled() time.Time { return unix(r.Pulled) }

// LastUpdated is the tag's last update (zero when unknown).
func (r Row) LastUpdated() time.Time { return unix(r.Updated) }

func unix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func seconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// interner shares equal strings across the rows of one load; pages
// arrive concurrently.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func (in *interner) get(s string) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[s]; ok {
		return v
	}
	if in.m == nil {
		in.m = map[string]string{}
	}
	s = strings.Clone(s) // not a slice of a decoded page
	in.m[s] = s
	return s
}

// rowOf is the list row of t. The strings are copied out of the decoded
// page, so the page itself can be freed.
func rowOf(t hubclient.Tag, in *interner) Row {
	parts := make([]string, 0, len(t.Images))
	for _, im := range t.Images {
		parts = append(parts, im.Platform())
	}
	return Row{
		Name:      strings.Clone(t.Name),
		Digest:    strings.Clone(t.Digest),
		Platforms: in.get(strings.Join(parts, ", ")),
		Pusher:    in.get(t.LastUpdaterUsername),
		Status:    in.get(t.Status),
		Size:      t.FullSize,
		Pushed:    seconds(t.TagLastPushed),
		Pulled:    seconds(t.TagLastPulled),
		Updated:   seconds(t.LastUpdated),
	}
}
