package hubsim

// routesRepos registers the handlers of this API area.
func (s *Server) routesRepos() {}
