package hubsim

// routesOrgs registers the handlers of this API area.
func (s *Server) routesOrgs() {}
