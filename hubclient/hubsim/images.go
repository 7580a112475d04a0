package hubsim

// routesImages registers the handlers of this API area.
func (s *Server) routesImages() {}
