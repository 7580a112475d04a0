package hubsim

// routesTokens registers the handlers of this API area.
func (s *Server) routesTokens() {}
