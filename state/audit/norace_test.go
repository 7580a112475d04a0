//go:build !race

package audit

import "time"

// simSpan is how much simulated time TestTailSimulatedTime follows.
const simSpan = 10 * time.Minute

// backlogSpan is the seconds of busy backlog TestTailBacklogFillsPages reads.
const backlogSpan = 1200
