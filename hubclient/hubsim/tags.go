package hubsim

// routesTags registers the handlers of this API area.
func (s *Server) routesTags() {}
