//go:build race

package audit

import "time"

// simSpan is how much simulated time TestTailSimulatedTime follows: less
// under the race detector, which slows hubsim's activity tenfold.
const simSpan = 3 * time.Minute
