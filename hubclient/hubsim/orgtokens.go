package hubsim

// routesOrgTokens registers the handlers of this API area.
func (s *Server) routesOrgTokens() {}
