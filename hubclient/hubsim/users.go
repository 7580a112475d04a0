package hubsim

// routesUsers registers the handlers of this API area.
func (s *Server) routesUsers() {}
