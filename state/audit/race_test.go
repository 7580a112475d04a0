//go:build race

package audit

import "time"

// simSpan is how much simulated time TestTailSimulatedTime follows: less
// under the race detector, which slows hubsim's activity tenfold.
const simSpan = 3 * time.Minute

// backlogSpan is the seconds of busy backlog TestTailBacklogFillsPages
// reads: less under the race detector.
const backlogSpan = 300
