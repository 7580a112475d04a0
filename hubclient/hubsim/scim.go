package hubsim

// routesSCIM registers the handlers of this API area.
func (s *Server) routesSCIM() {}
