//go:build !race

package audit

import "time"

// simSpan is how much simulated time TestTailSimulatedTime follows.
const simSpan = 10 * time.Minute
