package hubsim

// routesMembers registers the handlers of this API area.
func (s *Server) routesMembers() {}
