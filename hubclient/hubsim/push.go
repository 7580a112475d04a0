package hubsim

import (
	"crypto/sha256"
	"fmt"
)

// PushTags adds tags to the repository namespace/name as pushes would: each
// one a linux/amd64 image pushed now by DemoUser. Tests use it when they
// need more tags than the dataset gives a repository.
func (s *Server) PushTags(namespace, name string, tags ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ns, ok := s.st.namespaces[namespace]
	if !ok {
		return fmt.Errorf("push tags: no namespace %q", namespace)
	}
	r, ok := ns.Repos[name]
	if !ok {
		return fmt.Errorf("push tags: no repository %s/%s", namespace, name)
	}
	now := s.clock.Now().UTC()
	for _, tn := range tags {
		digest := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(namespace+"/"+name+":"+tn)))
		r.Tags[tn] = &tag{ID: s.st.id(), Name: tn, Digest: digest, MediaType: "application/vnd.oci.image.index.v1+json",
			Updated: now, Pushed: now, LastUpdater: DemoUser,
			Images: []platformImage{{Architecture: "amd64", OS: "linux", Digest: digest, Size: 5_000_000, Pushed: now}}}
	}
	r.tagOrder = nil
	if now.After(r.Updated) {
		r.Updated, r.Modified = now, now
	}
	return nil
}
