package hubsim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// activityEvents renders the audit events after the first n of org acme.
func activityEvents(s *Server, n int) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, ev := range s.st.orgs[DemoOrg].Audit[n:] {
		out = append(out, fmt.Sprintf("%s %s %s %v", ev.Action, ev.Name, ev.Actor, ev.Data))
	}
	return out
}

func TestActivityDeterministic(t *testing.T) {
	clock := NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	var roles map[string]string
	run := func(seed uint64) []string {
		s, err := New(Options{Dataset: "demo", Seed: seed, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		// The demo dataset hands out the editor role while ranging over a
		// map, so which members are editors varies between builds; give
		// every world the first one's roles (and owners team) so that only
		// the generator's own determinism is measured.
		o := s.st.orgs[DemoOrg]
		if roles == nil {
			roles = map[string]string{}
			for n, m := range o.Members {
				roles[n] = m.Role
			}
		}
		o.Teams["owners"].Members = map[string]bool{}
		for n, m := range o.Members {
			m.Role = roles[n]
			if m.Role == RoleOwner {
				o.Teams["owners"].Members[n] = true
			}
		}
		n := len(s.st.orgs[DemoOrg].Audit)
		st := newActivityState(seed)
		for range 400 {
			s.activityStep(st)
		}
		if msg := activityCheck(s); msg != "" {
			t.Fatal(msg)
		}
		return activityEvents(s, n)
	}
	a, b, other := run(3), run(3), run(4)
	if len(a) != 400 {
		t.Fatalf("%d events for 400 steps", len(a))
	}
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			t.Fatalf("same seed, different activity at step %d:\n%s\n%s", i, a[i], b[min(i, len(b)-1)])
		}
	}
	if strings.Join(a, "\n") == strings.Join(other, "\n") {
		t.Errorf("different seeds, same activity")
	}
	kinds := map[string]int{}
	for _, ev := range a {
		kinds[strings.Fields(ev)[0]]++
	}
	for _, k := range []string{"repo.tag.push", "repo.tag.delete", "org.member.role.change", "org.team.member.add", "org.team.member.remove"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in %v", k, kinds)
		}
	}
	tokens := 0
	for _, ev := range a {
		if strings.Contains(ev, "access token") {
			tokens++
		}
	}
	if tokens == 0 {
		t.Errorf("no change was made with an access token")
	}
}

// TestActivityRuns lets the generator run fast while clients read, then
// checks that the log grew and the store is consistent. Run with -race.
func TestActivityRuns(t *testing.T) {
	s, err := New(Options{Dataset: "demo", RateLimit: -1, Activity: 2000})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.mu.RLock()
	before := len(s.st.orgs[DemoOrg].Audit)
	s.mu.RUnlock()
	tok := s.issue(principal{User: DemoUser, Kind: KindPassword}, KindPassword, time.Minute)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, path := range []string{"/v2/auditlogs/acme?page_size=100", "/v2/access-tokens", "/v2/orgs/acme/access-tokens", "/v2/scim/2.0/Users?count=50"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body.String())
					return
				}
			}
		}()
	}
	// Run until the generator has made a good number of events (the rate is
	// a benchmark's matter, not a pass/fail timing on a loaded machine).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		s.mu.RLock()
		n := len(s.st.orgs[DemoOrg].Audit)
		s.mu.RUnlock()
		if n-before >= 100 {
			break
		}
	}
	close(stop)
	wg.Wait()
	s.Close()
	s.mu.RLock()
	defer s.mu.RUnlock()
	after := len(s.st.orgs[DemoOrg].Audit)
	if after-before < 100 {
		t.Errorf("audit log grew by %d events in 10s at 2000/s", after-before)
	}
	if msg := activityCheck(s); msg != "" {
		t.Error(msg)
	}
}

// activityCheck reports the first inconsistency in the store, or "". The
// caller holds s.mu.
func activityCheck(s *Server) string {
	for nsName, ns := range s.st.namespaces {
		if ns.sorted != nil && len(ns.sorted) != len(ns.Repos) {
			return "namespace " + nsName + ": stale repository order"
		}
		for name, r := range ns.Repos {
			if r.Name != name || r.Namespace != nsName {
				return "repository " + nsName + "/" + name + ": misfiled"
			}
			if r.tagOrder != nil && len(r.tagOrder) != len(r.Tags) {
				return "repository " + nsName + "/" + name + ": stale tag order"
			}
			for tn, t := range r.Tags {
				if t.Name != tn {
					return "tag " + tn + " of " + name + ": misfiled"
				}
				if !strings.HasPrefix(t.Digest, "sha256:") || len(t.Digest) != 71 {
					return "tag " + tn + " of " + name + ": bad digest " + t.Digest
				}
				if t.Updated.After(r.Updated) {
					return "repository " + name + ": last_updated before its tag " + tn
				}
			}
		}
	}
	for _, o := range s.st.orgs {
		owners := 0
		for n, m := range o.Members {
			if m.Username != n || roleRank(m.Role) == 0 {
				return "member " + n + ": bad entry"
			}
			if m.Role == RoleOwner {
				owners++
			}
		}
		if owners == 0 && len(o.Members) > 0 {
			return "org " + o.Name + ": no owner"
		}
		for tn, t := range o.Teams {
			for n := range t.Members {
				if o.Members[n] == nil {
					return "team " + tn + ": " + n + " is not a member of " + o.Name
				}
			}
		}
		for i := 1; i < len(o.Audit); i++ {
			if o.Audit[i].Timestamp.Before(o.Audit[i-1].Timestamp) {
				return "org " + o.Name + ": audit log out of order"
			}
		}
	}
	return ""
}

func TestActivityChangesTokens(t *testing.T) {
	clock := NewFakeClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	s, err := New(Options{Dataset: "demo", Seed: 7, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	st := newActivityState(7)
	for range 2000 {
		s.activityStep(st)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[string]int{}
	for _, ev := range s.st.orgs[DemoOrg].Audit {
		if strings.HasPrefix(ev.Action, "org.access_token.") && strings.HasPrefix(ev.Data["label"], "ci-run-") {
			seen[ev.Action]++
		}
	}
	if seen["org.access_token.create"] == 0 || seen["org.access_token.delete"] == 0 {
		t.Fatalf("token changes: %v", seen)
	}
	if s.st.orgs[DemoOrg].OATs == nil || len(s.st.orgs[DemoOrg].OATs) > 3+3 {
		t.Fatalf("%d organization access tokens after the activity", len(s.st.orgs[DemoOrg].OATs))
	}
}
