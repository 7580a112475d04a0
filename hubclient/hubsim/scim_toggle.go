package hubsim

import "fmt"

// SetSCIM turns the SCIM endpoints on or off for org: off, they answer 403
// as the Hub does for an organization without SCIM in its SSO connection.
func (s *Server) SetSCIM(orgName string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orgs[orgName]
	if o == nil {
		return fmt.Errorf("hubsim: no organization %q", orgName)
	}
	o.SCIMOff = !on
	return nil
}
