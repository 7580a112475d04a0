package hubsim

// routesAudit registers the handlers of this API area.
func (s *Server) routesAudit() {}
