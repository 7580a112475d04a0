package hubsim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Image management (the older v2 document, seeds/003): the manifests of a
// repository with the tags that point or pointed at them, a summary of
// active and inactive ones, and bulk deletion with a dry run.
//
// A repository's manifests are those its tags point at, plus former images:
// manifests that tags used to point at. Former images are seeded, the first
// time a repository's images are used, with a deterministic history (earlier
// pushes of latest, stable and edge, and one manifest that was never
// tagged), and grow as tags are deleted.

// formerImage is a manifest some tags used to point at.
type formerImage struct {
	Digest string
	Tags   []string // tags that pointed at it
	Pushed time.Time
	Pulled time.Time
}

// imageTagJSON is one tag of an image: is_current tells whether the tag
// still points at it.
type imageTagJSON struct {
	Tag       string `json:"tag"`
	IsCurrent bool   `json:"is_current"`
}

// imageRec is one manifest of a repository.
type imageRec struct {
	Digest  string
	Tags    []imageTagJSON
	Current int // how many of Tags are current
	Pushed  time.Time
	Pulled  time.Time
}

func (im *imageRec) lastActivity() time.Time {
	if im.Pulled.After(im.Pushed) {
		return im.Pulled
	}
	return im.Pushed
}

func (im *imageRec) currentTags() []string {
	out := make([]string, 0, im.Current)
	for _, t := range im.Tags {
		if t.IsCurrent {
			out = append(out, t.Tag)
		}
	}
	return out
}

// imageIndex is a repository's manifests, built once per change of its
// tags and never modified after, so readers share it under the read lock.
type imageIndex struct {
	order      []string // the tag order it was built from
	nFormer    int      // len(FormerImages) it was built from
	byDigest   map[string]*imageRec
	byActivity []*imageRec // oldest activity first
	digests    []*imageRec // by digest
}

// imagesStale reports whether rp's image index must be (re)built.
func imagesStale(rp *repo) bool {
	if !rp.imagesSeeded || rp.tagOrder == nil || rp.images == nil {
		return true
	}
	ix := rp.images
	return ix.nFormer != len(rp.FormerImages) || len(ix.order) != len(rp.tagOrder) ||
		(len(ix.order) > 0 && &ix.order[0] != &rp.tagOrder[0])
}

// freshImages seeds and indexes rp's images. The caller holds s.mu for writing.
func (s *Server) freshImages(rp *repo) *imageIndex {
	if imagesStale(rp) {
		s.seedImages(rp)
		rp.tagNames()
		rp.images = buildImageIndex(rp)
	}
	return rp.images
}

// seedDigest is a stable fake digest for a seeded former image.
func seedDigest(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// seedImages gives rp its history of former images, once. The caller holds
// s.mu for writing.
func (s *Server) seedImages(rp *repo) {
	if rp.imagesSeeded {
		return
	}
	rp.imagesSeeded = true
	full := rp.Namespace + "/" + rp.Name
	var seeded []formerImage
	// Earlier latest and stable pushes are old enough to be inactive; edge
	// moved every few days.
	for _, h := range []struct {
		tag   string
		n     int
		every time.Duration
	}{{"latest", 2, 40 * 24 * time.Hour}, {"stable", 1, 60 * 24 * time.Hour}, {"edge", 3, 5 * 24 * time.Hour}} {
		t := rp.Tags[h.tag]
		if t == nil {
			continue
		}
		for i := range h.n {
			pushed := t.Pushed.Add(-time.Duration(i+1) * h.every)
			seeded = append(seeded, formerImage{Digest: seedDigest(full, h.tag, fmt.Sprint(i)), Tags: []string{h.tag},
				Pushed: pushed, Pulled: pushed.Add(36 * time.Hour)})
		}
	}
	if len(rp.Tags) > 0 {
		seeded = append(seeded, formerImage{Digest: seedDigest(full, "untagged"), Pushed: rp.Created.Add(time.Hour)})
	}
	rp.FormerImages = append(seeded, rp.FormerImages...)
	rp.images = nil
}

func buildImageIndex(rp *repo) *imageIndex {
	ix := &imageIndex{order: rp.tagOrder, nFormer: len(rp.FormerImages), byDigest: make(map[string]*imageRec, len(rp.Tags)+len(rp.FormerImages))}
	recs := make([]*imageRec, 0, len(rp.Tags)+len(rp.FormerImages))
	get := func(digest string) *imageRec {
		im := ix.byDigest[digest]
		if im == nil {
			im = &imageRec{Digest: digest}
			ix.byDigest[digest] = im
			recs = append(recs, im)
		}
		return im
	}
	later := func(a, b time.Time) time.Time {
		if b.After(a) {
			return b
		}
		return a
	}
	for _, n := range rp.tagOrder {
		t := rp.Tags[n]
		im := get(t.Digest)
		im.Tags = append(im.Tags, imageTagJSON{Tag: n, IsCurrent: true})
		im.Current++
		im.Pushed, im.Pulled = later(im.Pushed, t.Pushed), later(im.Pulled, t.Pulled)
	}
	for _, f := range rp.FormerImages {
		im := get(f.Digest)
		for _, tn := range f.Tags {
			im.Tags = append(im.Tags, imageTagJSON{Tag: tn})
		}
		im.Pushed, im.Pulled = later(im.Pushed, f.Pushed), later(im.Pulled, f.Pulled)
	}
	ix.byActivity = slices.Clone(recs)
	slices.SortStableFunc(ix.byActivity, func(a, b *imageRec) int {
		if c := a.lastActivity().Compare(b.lastActivity()); c != 0 {
			return c
		}
		return strings.Compare(a.Digest, b.Digest)
	})
	ix.digests = recs
	slices.SortFunc(ix.digests, func(a, b *imageRec) int { return strings.Compare(a.Digest, b.Digest) })
	return ix
}

// repoImageJSON is one image of GET .../images.
type repoImageJSON struct {
	Namespace  string         `json:"namespace"`
	Repository string         `json:"repository"`
	Digest     string         `json:"digest"`
	Tags       []imageTagJSON `json:"tags"`
	LastPushed *string        `json:"last_pushed"`
	LastPulled *string        `json:"last_pulled"`
	Status     string         `json:"status"`
}

// routesImages registers the handlers of this API area.
func (s *Server) routesImages() {
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}/images", s.listImages)
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}/images/{digest}/tags", s.listImageTags)
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}/images-summary", s.imagesSummary)
	s.handle("POST /v2/namespaces/{namespace}/delete-images", s.deleteImages)
}

// lockImages read-locks s.mu with the request repository's image index built.
func (s *Server) lockImages(r *http.Request) (unlock func()) {
	nsName, name := r.PathValue("namespace"), r.PathValue("repository")
	return s.lockFresh(func() bool {
		rp := s.st.repoOf(nsName, name)
		return rp != nil && imagesStale(rp)
	}, func() {
		if rp := s.st.repoOf(nsName, name); rp != nil {
			s.freshImages(rp)
		}
	})
}

// activeFrom reads the active_from query parameter (default: a month ago),
// answering 400 when it is not a date-time.
func (s *Server) activeFrom(w http.ResponseWriter, v string) (time.Time, bool) {
	if v == "" {
		return activeSince(s.clock.Now()), true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		writeErrInfo(w, http.StatusBadRequest, "active_from: must be an RFC 3339 date-time such as 2021-01-25T14:25:37Z.",
			map[string]string{"active_from": "invalid date-time"})
		return t, false
	}
	return t, true
}

// listImages answers GET .../images with the status, currently_tagged,
// ordering and active_from filters.
func (s *Server) listImages(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && status != "active" && status != "inactive" {
		writeErrInfo(w, http.StatusBadRequest, "status: must be active or inactive.", map[string]string{"status": "invalid choice"})
		return
	}
	tagged := q.Get("currently_tagged")
	if tagged != "" && tagged != "true" && tagged != "false" {
		writeErrInfo(w, http.StatusBadRequest, "currently_tagged: must be true or false.", map[string]string{"currently_tagged": "invalid boolean"})
		return
	}
	ordering := q.Get("ordering")
	switch ordering {
	case "":
		ordering = "-last_activity"
	case "last_activity", "-last_activity", "digest", "-digest":
	default:
		writeErrInfo(w, http.StatusBadRequest, "ordering: must be one of last_activity, -last_activity, digest, -digest.", map[string]string{"ordering": "invalid choice"})
		return
	}
	from, ok := s.activeFrom(w, q.Get("active_from"))
	if !ok {
		return
	}
	unlock := s.lockImages(r)
	rp := s.findRepo(w, r, &p, levelRead, unlock)
	if rp == nil {
		return
	}
	ix := rp.images
	base := ix.byActivity
	if strings.TrimPrefix(ordering, "-") == "digest" {
		base = ix.digests
	}
	desc := strings.HasPrefix(ordering, "-")
	at := func(i int) *imageRec {
		if desc {
			return base[len(base)-1-i]
		}
		return base[i]
	}
	total := len(base)
	var sel []*imageRec
	if status != "" || tagged != "" {
		sel = make([]*imageRec, 0, len(base))
		for i := range base {
			im := at(i)
			if status != "" && activity(im.Pushed, im.Pulled, from) != status {
				continue
			}
			if tagged != "" && (im.Current > 0) != (tagged == "true") {
				continue
			}
			sel = append(sel, im)
		}
		total = len(sel)
		at = func(i int) *imageRec { return sel[i] }
	}
	lo, hi, ok := pg.window(w, total)
	if !ok {
		unlock()
		return
	}
	out := make([]repoImageJSON, 0, hi-lo)
	for i := lo; i < hi; i++ {
		im := at(i)
		out = append(out, repoImageJSON{Namespace: rp.Namespace, Repository: rp.Name, Digest: im.Digest,
			Tags: append([]imageTagJSON{}, im.Tags...), LastPushed: tsPtr(im.Pushed), LastPulled: tsPtr(im.Pulled),
			Status: activity(im.Pushed, im.Pulled, from)})
	}
	unlock()
	writeJSON(w, http.StatusOK, newPage(r, pg, total, out))
}

// listImageTags answers GET .../images/{digest}/tags.
func (s *Server) listImageTags(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	unlock := s.lockImages(r)
	rp := s.findRepo(w, r, &p, levelRead, unlock)
	if rp == nil {
		return
	}
	digest := r.PathValue("digest")
	im := rp.images.byDigest[digest]
	if im == nil {
		unlock()
		writeErrInfo(w, http.StatusNotFound, fmt.Sprintf("Image %s not found in %s/%s.", digest, rp.Namespace, rp.Name), nil)
		return
	}
	lo, hi, ok := pg.window(w, len(im.Tags))
	if !ok {
		unlock()
		return
	}
	out := append([]imageTagJSON{}, im.Tags[lo:hi]...)
	unlock()
	writeJSON(w, http.StatusOK, newPage(r, pg, len(im.Tags), out))
}

// imagesSummary answers GET .../images-summary.
func (s *Server) imagesSummary(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	from, ok := s.activeFrom(w, r.URL.Query().Get("active_from"))
	if !ok {
		return
	}
	unlock := s.lockImages(r)
	rp := s.findRepo(w, r, &p, levelRead, unlock)
	if rp == nil {
		return
	}
	active := 0
	for _, im := range rp.images.byActivity {
		if activity(im.Pushed, im.Pulled, from) == "active" {
			active++
		}
	}
	total := len(rp.images.byActivity)
	unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"active_from": from.UTC().Format(time.RFC3339Nano),
		"statistics":  map[string]int{"total": total, "active": active, "inactive": total - active},
	})
}

// imageRefJSON names a manifest of delete-images.
type imageRefJSON struct {
	Repository string `json:"repository"`
	Digest     string `json:"digest"`
}

// imageWarningJSON is a delete-images warning (current_tag or is_active).
type imageWarningJSON struct {
	Repository string   `json:"repository"`
	Digest     string   `json:"digest"`
	Warning    string   `json:"warning"`
	Tags       []string `json:"tags"`
}

// imageErrorJSON is a delete-images error (not_found or immutable_tag).
type imageErrorJSON struct {
	Repository string `json:"repository"`
	Digest     string `json:"digest"`
	Error      string `json:"error"`
}

// deleteImages answers POST /v2/namespaces/{namespace}/delete-images. It
// refuses (400, nothing deleted) while any manifest is not found, carries
// an immutable tag, or has a warning the request does not ignore:
// current_tag (tags still point at it) or is_active (pushed or pulled since
// active_from). With dry_run it changes nothing and reports what it would do.
func (s *Server) deleteImages(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	var in struct {
		DryRun         bool               `json:"dry_run"`
		ActiveFrom     string             `json:"active_from"`
		Manifests      []imageRefJSON     `json:"manifests"`
		IgnoreWarnings []imageWarningJSON `json:"ignore_warnings"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if len(in.Manifests) == 0 {
		writeErrInfo(w, http.StatusBadRequest, "manifests: name at least one manifest to delete.", map[string]string{"manifests": "required"})
		return
	}
	for _, m := range in.Manifests {
		if m.Repository == "" || m.Digest == "" {
			writeErrInfo(w, http.StatusBadRequest, "manifests: each manifest needs a repository and a digest.", map[string]string{"manifests": "incomplete"})
			return
		}
	}
	from, ok := s.activeFrom(w, in.ActiveFrom)
	if !ok {
		return
	}
	nsName := r.PathValue("namespace")
	ignored := func(repoName, digest, warning string) bool {
		for _, iw := range in.IgnoreWarnings {
			if iw.Repository == repoName && iw.Digest == digest && iw.Warning == warning {
				return true
			}
		}
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.namespaces[nsName] == nil {
		writeErrInfo(w, http.StatusNotFound, "Namespace not found: "+nsName, nil)
		return
	}
	type target struct {
		rp *repo
		im *imageRec
	}
	var targets []target
	errs, warns := []imageErrorJSON{}, []imageWarningJSON{}
	seen := map[imageRefJSON]bool{}
	for _, m := range in.Manifests {
		if seen[m] {
			continue
		}
		seen[m] = true
		rp := s.st.repoOf(nsName, m.Repository)
		if rp == nil || s.repoCan(&p, nsName, rp.Name, rp.Private, levelRead) != nil {
			errs = append(errs, imageErrorJSON{m.Repository, m.Digest, "not_found"})
			continue
		}
		if d := s.repoCan(&p, nsName, rp.Name, rp.Private, levelAdmin); d != nil {
			d.write(w)
			return
		}
		im := s.freshImages(rp).byDigest[m.Digest]
		if im == nil {
			errs = append(errs, imageErrorJSON{m.Repository, m.Digest, "not_found"})
			continue
		}
		current := im.currentTags()
		immutable := false
		for _, tn := range current {
			immutable = immutable || immutableRule(rp, tn) != ""
		}
		if immutable {
			errs = append(errs, imageErrorJSON{m.Repository, m.Digest, "immutable_tag"})
			continue
		}
		if len(current) > 0 && !ignored(m.Repository, m.Digest, "current_tag") {
			warns = append(warns, imageWarningJSON{m.Repository, m.Digest, "current_tag", current})
		}
		if activity(im.Pushed, im.Pulled, from) == "active" && !ignored(m.Repository, m.Digest, "is_active") {
			warns = append(warns, imageWarningJSON{m.Repository, m.Digest, "is_active", current})
		}
		targets = append(targets, target{rp, im})
	}
	if len(errs) > 0 || len(warns) > 0 {
		txn := fmt.Sprintf("%016x", s.rng.Int64N(1<<62))
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"txnid":   txn,
			"message": "Deletion not possible",
			"detail":  fmt.Sprintf("Deletion not possible: %d errors, %d warnings not ignored.", len(errs), len(warns)),
			"errinfo": map[string]any{
				"api_call_docker_id": p.User, "api_call_name": "DeleteImages", "api_call_start": ts(s.clock.Now()),
				"api_call_txnid": txn, "type": "validation",
				"details": map[string]any{"errors": errs, "warnings": warns},
			},
		})
		return
	}
	tagDeletes := 0
	for _, t := range targets {
		tagDeletes += t.im.Current
	}
	if !in.DryRun {
		for _, t := range targets {
			rp, full := t.rp, t.rp.Namespace+"/"+t.rp.Name
			for _, tn := range t.im.currentTags() {
				delete(rp.Tags, tn)
				s.audit(nsName, "repo.tag.delete", full, p, fmt.Sprintf("deleted the tag %s from the repository %s", tn, full),
					map[string]string{"tag": tn, "digest": t.im.Digest})
			}
			rp.FormerImages = slices.DeleteFunc(rp.FormerImages, func(f formerImage) bool { return f.Digest == t.im.Digest })
			rp.tagOrder, rp.images = nil, nil
			rp.Modified = s.clock.Now().UTC()
			s.audit(nsName, "repo.image.delete", full, p, fmt.Sprintf("deleted the image %s from the repository %s", t.im.Digest, full),
				map[string]string{"digest": t.im.Digest})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"dry_run": in.DryRun,
		"metrics": map[string]int{"manifest_deletes": len(targets), "manifest_errors": 0, "tag_deletes": tagDeletes, "tag_errors": 0},
	})
}
