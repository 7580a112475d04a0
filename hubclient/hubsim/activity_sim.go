package hubsim

import (
	"errors"
	"time"
)

// ErrNoFakeClock is returned by RunActivity when the simulator's clock is
// not a *FakeClock: simulated time needs a clock the caller moves.
var ErrNoFakeClock = errors.New("hubsim: simulated activity needs Options.Clock to be a *FakeClock")

// simActivity is the generator of simulated-time activity: its state and
// when its next change is due. Guarded by Server.simMu.
type simActivity struct {
	st   *activityState
	next time.Time // the next change's time; zero before the first
}

func (s *Server) simState() *simActivity {
	if s.sim == nil {
		s.sim = &simActivity{st: newActivityState(s.opts.Seed ^ 0x5117)}
	}
	return s.sim
}

// RunActivity advances the fake clock by d, making perSecond changes (each
// audited) for every simulated second on the way, evenly spaced: the clock
// stops at each change's instant, so at more than one change a second
// several share a second, as on a busy Hub. The spacing carries over from
// one call to the next, so many short calls make the same changes at the
// same instants as one long one. A perSecond of 0 or less only advances
// the clock. It returns ErrNoFakeClock, changing nothing, unless
// Options.Clock is a *FakeClock; the wall-clock generator (Options.Activity)
// is not affected.
func (s *Server) RunActivity(d time.Duration, perSecond float64) error {
	fc, ok := s.clock.(*FakeClock)
	if !ok {
		return ErrNoFakeClock
	}
	if d < 0 {
		d = 0
	}
	s.simMu.Lock()
	defer s.simMu.Unlock()
	now := fc.Now()
	end := now.Add(d)
	if perSecond <= 0 {
		fc.Advance(d)
		return nil
	}
	sa := s.simState()
	step := max(time.Duration(float64(time.Second)/perSecond), time.Nanosecond)
	if sa.next.Before(now) || sa.next.After(now.Add(step)) {
		// First call, a pause (the clock moved without activity) or a
		// change of rate: the next change comes one step from now.
		sa.next = now.Add(step)
	}
	for !sa.next.After(end) {
		fc.Advance(sa.next.Sub(fc.Now()))
		s.activityStep(sa.st)
		sa.next = sa.next.Add(step)
	}
	fc.Advance(end.Sub(fc.Now()))
	return nil
}

// ActivityBurst makes n changes (each audited) at once: with a FakeClock
// they all carry its current instant, as a bulk change or a pipeline's
// burst of pushes does, and may fill several pages of the log at once.
func (s *Server) ActivityBurst(n int) {
	s.simMu.Lock()
	defer s.simMu.Unlock()
	sa := s.simState()
	for range n {
		s.activityStep(sa.st)
	}
}
