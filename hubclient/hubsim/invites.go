package hubsim

// routesInvites registers the handlers of this API area.
func (s *Server) routesInvites() {}
