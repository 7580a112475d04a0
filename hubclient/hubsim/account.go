package hubsim

// routesAccount registers the handlers of this API area.
func (s *Server) routesAccount() {}
