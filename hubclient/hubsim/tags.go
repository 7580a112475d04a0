package hubsim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// tagImageJSON is the document's image schema (one platform of a tag).
type tagImageJSON struct {
	Architecture string  `json:"architecture"`
	Features     string  `json:"features"`
	Variant      *string `json:"variant"`
	Digest       *string `json:"digest"`
	// Layers are sent by the tag detail only, so that a page of the list
	// stays small.
	Layers     []tagLayerJSON `json:"layers,omitempty"`
	OS         string         `json:"os"`
	OSFeatures string         `json:"os_features"`
	OSVersion  *string        `json:"os_version"`
	Size       int64          `json:"size"`
	Status     string         `json:"status"`
	LastPulled *string        `json:"last_pulled"`
	LastPushed *string        `json:"last_pushed"`
}

// tagLayerJSON is the document's layer schema.
type tagLayerJSON struct {
	Digest      *string `json:"digest"` // null for a step that adds no files
	Size        int64   `json:"size"`
	Instruction string  `json:"instruction"`
}

// layerStep is a build step of a made-up image: its instruction, and for
// a step that adds files (a layer with a digest and a size) the share of
// the image's size still unassigned that it takes, in per mille, from lo
// up to hi.
type layerStep struct {
	instruction string
	files       bool
	lo, hi      int
}

// imageLayers makes up the layers of an image as a Dockerfile build leaves
// them, the same every time for the same image digest: a base layer, a few
// steps that add files, and metadata steps (no digest, size 0, as the Hub
// shows them). The sizes of the layers add up to the image's size.
func imageLayers(im platformImage) []tagLayerJSON {
	sum := sha256.Sum256([]byte("layers:" + im.Digest))
	rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
	hex64 := func() string {
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return hex.EncodeToString(b[:])
	}
	steps := []layerStep{{"ADD file:" + hex64() + " in / ", true, 300, 700}, {instruction: `CMD ["/bin/sh"]`}}
	middle := []layerStep{
		{"RUN /bin/sh -c apk add --no-cache ca-certificates tzdata # buildkit", true, 20, 120},
		{instruction: "ENV APP_HOME=/app"},
		{instruction: "WORKDIR /app"},
		{"COPY requirements.txt ./ # buildkit", true, 0, 1},
		{"RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit", true, 200, 600},
		{"COPY /out/ /app/ # buildkit", true, 50, 300},
		{instruction: "ARG TARGETARCH=" + im.Architecture},
		{instruction: "LABEL org.opencontainers.image.source=https://github.com/acme/app"},
	}
	for _, st := range middle {
		if rng.IntN(3) > 0 {
			steps = append(steps, st)
		}
	}
	steps = append(steps, layerStep{"COPY app /app/app # buildkit", true, 0, 0}, layerStep{instruction: "USER 65532:65532"},
		layerStep{instruction: "EXPOSE map[8080/tcp:{}]"}, layerStep{instruction: `ENTRYPOINT ["/app/app"]`})

	var withFiles []int
	for i, st := range steps {
		if st.files {
			withFiles = append(withFiles, i)
		}
	}
	sizes := make([]int64, len(steps))
	left := im.Size
	for k, i := range withFiles {
		if k == len(withFiles)-1 {
			sizes[i] = left
			break
		}
		st := steps[i]
		sizes[i] = min(left, max(1, left*int64(st.lo+rng.IntN(st.hi-st.lo+1))/1000))
		left -= sizes[i]
	}
	out := make([]tagLayerJSON, 0, len(steps))
	for i, st := range steps {
		l := tagLayerJSON{Size: sizes[i], Instruction: st.instruction}
		if st.files {
			l.Digest = strPtr("sha256:" + hex64())
		}
		out = append(out, l)
	}
	return out
}

// tagJSON is the document's tag schema, plus the fields the Hub sends
// beyond it (tag_status, media_type, content_type, digest).
type tagJSON struct {
	ID                  int64          `json:"id"`
	Images              []tagImageJSON `json:"images"`
	Creator             int64          `json:"creator"`
	LastUpdated         *string        `json:"last_updated"`
	LastUpdater         int64          `json:"last_updater"`
	LastUpdaterUsername string         `json:"last_updater_username"`
	Name                string         `json:"name"`
	Repository          int64          `json:"repository"`
	FullSize            int64          `json:"full_size"`
	V2                  bool           `json:"v2"`
	Status              string         `json:"status"`
	TagLastPulled       *string        `json:"tag_last_pulled"`
	TagLastPushed       *string        `json:"tag_last_pushed"`
	TagStatus           string         `json:"tag_status"`
	MediaType           string         `json:"media_type"`
	ContentType         string         `json:"content_type"`
	Digest              string         `json:"digest"`
}

// userNumber is the numeric user id the tag schema wants, derived from the
// username (the simulator's user ids are hex strings).
func userNumber(username string) int64 {
	if username == "" {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(username))
	return int64(h.Sum32())
}

// activity is "active" when t was pushed or pulled since from.
func activity(pushed, pulled, from time.Time) string {
	if !pushed.Before(from) || (!pulled.IsZero() && !pulled.Before(from)) {
		return "active"
	}
	return "inactive"
}

// renderTag renders t as the document's tag; withLayers adds each image's
// layers, as the tag detail does.
func renderTag(rp *repo, t *tag, now time.Time, withLayers bool) tagJSON {
	from := activeSince(now)
	images := make([]tagImageJSON, 0, len(t.Images))
	for _, im := range t.Images {
		var variant *string
		if im.Variant != "" {
			variant = strPtr(im.Variant)
		}
		ij := tagImageJSON{Architecture: im.Architecture, Variant: variant, Digest: strPtr(im.Digest),
			OS: im.OS, Size: im.Size, Status: activity(im.Pushed, im.Pulled, from),
			LastPulled: tsPtr(im.Pulled), LastPushed: tsPtr(im.Pushed)}
		if withLayers {
			ij.Layers = imageLayers(im)
		}
		images = append(images, ij)
	}
	status := activity(t.Pushed, t.Pulled, from)
	return tagJSON{ID: t.ID, Images: images, Creator: userNumber(t.LastUpdater), LastUpdated: tsPtr(t.Updated),
		LastUpdater: userNumber(t.LastUpdater), LastUpdaterUsername: t.LastUpdater, Name: t.Name, Repository: rp.ID,
		FullSize: t.size(), V2: true, Status: status, TagLastPulled: tsPtr(t.Pulled), TagLastPushed: tsPtr(t.Pushed),
		TagStatus: status, MediaType: t.MediaType, ContentType: "image", Digest: t.Digest}
}

// routesTags registers the handlers of this API area.
func (s *Server) routesTags() {
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}/tags", s.listTags)
	s.handle("HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags", s.checkTags)
	s.handle("GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}", s.getTag)
	// Outside the document, served by the Hub: the legacy spellings of the
	// list and the detail (hub-tool lists tags with the first, the Terraform
	// provider reads one tag with the second) answer the same shapes.
	s.handle("GET /v2/repositories/{namespace}/{repository}/tags/{$}", s.listTags)
	s.handle("GET /v2/repositories/{namespace}/{repository}/tags/{tag}/{$}", s.getTag)
	s.handle("DELETE /v2/repositories/{namespace}/{repository}/tags/{tag}/{$}", s.deleteTag)
}

// freshTags read-locks s.mu with the request repository's tag order built.
func (s *Server) freshTags(r *http.Request) (unlock func()) {
	nsName, name := r.PathValue("namespace"), r.PathValue("repository")
	return s.lockFresh(func() bool {
		rp := s.st.repoOf(nsName, name)
		return rp != nil && rp.tagOrder == nil
	}, func() {
		if rp := s.st.repoOf(nsName, name); rp != nil {
			rp.tagNames()
		}
	})
}

// listTags answers GET .../tags, newest push first, from the cached order:
// a page of a repository with 100,000 tags costs one page of work. The
// optional name filter (the Hub's, not in the document) is a substring match.
func (s *Server) listTags(w http.ResponseWriter, r *http.Request) {
	p, ok := s.optionalAuth(w, r)
	if !ok {
		return
	}
	pg, ok := parsePaging(w, r, 10)
	if !ok {
		return
	}
	filter := strings.ToLower(r.URL.Query().Get("name"))
	unlock := s.freshTags(r)
	rp := s.findRepo(w, r, p, levelRead, unlock)
	if rp == nil {
		return
	}
	names := rp.tagOrder
	if filter != "" {
		var sel []string
		for _, n := range names {
			if strings.Contains(strings.ToLower(n), filter) {
				sel = append(sel, n)
			}
		}
		names = sel
	}
	now := s.clock.Now()
	out, ok := pageOf(w, pg, names, func(n string) tagJSON { return renderTag(rp, rp.Tags[n], now, false) })
	unlock()
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, newPage(r, pg, len(names), out))
}

// checkTags answers HEAD .../tags: 200 when the repository has tags, 404
// when it has none.
func (s *Server) checkTags(w http.ResponseWriter, r *http.Request) {
	_, rp := s.readRepo(w, r)
	if rp == nil {
		return
	}
	n := len(rp.Tags)
	s.mu.RUnlock()
	if n == 0 {
		writeError(w, http.StatusNotFound, "The repository has no tags.")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// getTag answers GET and HEAD .../tags/{tag}.
func (s *Server) getTag(w http.ResponseWriter, r *http.Request) {
	_, rp := s.readRepo(w, r)
	if rp == nil {
		return
	}
	t := rp.Tags[r.PathValue("tag")]
	if t == nil {
		s.mu.RUnlock()
		writeError(w, http.StatusNotFound, fmt.Sprintf("Tag %s not found in %s/%s.", r.PathValue("tag"), rp.Namespace, rp.Name))
		return
	}
	out := renderTag(rp, t, s.clock.Now(), true)
	s.mu.RUnlock()
	writeGetOrHead(w, r, out)
}

// deleteTag answers DELETE /v2/repositories/{namespace}/{repository}/tags/{tag}/
// with 204. A tag that an immutable-tags rule of the repository matches is
// refused with 400 naming the rule. The tag's manifest stays, untagged,
// for image management.
func (s *Server) deleteTag(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	rp := s.findRepo(w, r, &p, levelAdmin, s.mu.Unlock)
	if rp == nil {
		return
	}
	name := r.PathValue("tag")
	t := rp.Tags[name]
	full := rp.Namespace + "/" + rp.Name
	if t == nil {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, fmt.Sprintf("Tag %s not found in %s.", name, full))
		return
	}
	if rule := immutableRule(rp, name); rule != "" {
		s.mu.Unlock()
		writeErrInfo(w, http.StatusBadRequest,
			fmt.Sprintf("The tag %s of %s is immutable: it matches the immutable tags rule %q. Change the rules or turn immutable tags off to delete it.", name, full, rule),
			map[string]string{"tag": name, "rule": rule, "reason": "immutable_tag"})
		return
	}
	s.seedImages(rp)
	s.removeTag(rp, t)
	s.audit(rp.Namespace, "repo.tag.delete", full, p, fmt.Sprintf("deleted the tag %s from the repository %s", name, full),
		map[string]string{"tag": name, "digest": t.Digest})
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// removeTag deletes t from rp and remembers that its manifest had this tag
// (the manifest stays, untagged unless another tag points at it). The
// caller holds s.mu for writing and has seeded rp's images.
func (s *Server) removeTag(rp *repo, t *tag) {
	delete(rp.Tags, t.Name)
	rp.tagOrder = nil
	rp.images = nil
	rp.Modified = s.clock.Now().UTC()
	for i := range rp.FormerImages {
		if rp.FormerImages[i].Digest == t.Digest {
			rp.FormerImages[i].Tags = append(rp.FormerImages[i].Tags, t.Name)
			return
		}
	}
	rp.FormerImages = append(rp.FormerImages, formerImage{Digest: t.Digest, Tags: []string{t.Name}, Pushed: t.Pushed, Pulled: t.Pulled})
}
