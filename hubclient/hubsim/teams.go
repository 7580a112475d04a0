package hubsim

// routesTeams registers the handlers of this API area.
func (s *Server) routesTeams() {}
