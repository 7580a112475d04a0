// Command hubsim serves an in-memory Docker Hub for demos, tests and
// benchmarks: `hubsim --dataset demo` prints `hubsim listening on
// http://HOST:PORT` and serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hubsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	dataset := fs.String("dataset", "demo", "dataset: demo, large or empty")
	seed := fs.Uint64("seed", 1, "dataset and fault seed")
	activity := fs.Float64("activity", 0, "background audit events per second (0 is off)")
	latency := fs.Duration("latency", 0, "latency added to every answer")
	jitter := fs.Duration("jitter", 0, "random extra latency, up to this much")
	faults := fs.String("faults", "", "faults, e.g. 500=0.05,reset=0.01,stall=0.01,stall_for=5s,truncate=0.01,storm=10s")
	rate := fs.Int("rate-limit", 180, "requests per minute per caller (negative disables)")
	ttl := fs.Duration("token-ttl", 10*time.Minute, "JWT lifetime")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	f, err := hubsim.ParseFaults(*faults, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "hubsim: --faults:", err)
		return 2
	}
	sim, err := hubsim.New(hubsim.Options{Dataset: *dataset, Seed: *seed, Activity: *activity, Latency: *latency,
		Jitter: *jitter, Faults: f, RateLimit: *rate, TokenTTL: *ttl})
	if err != nil {
		fmt.Fprintln(stderr, "hubsim:", err)
		return 2
	}
	// Signals are caught before the first line is printed: whoever reads it
	// may stop the simulator at once.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	url, stop, err := sim.Start(*addr)
	if err != nil {
		fmt.Fprintln(stderr, "hubsim:", err)
		return 1
	}
	fmt.Fprintf(stdout, "hubsim listening on %s\n", url)
	<-ctx.Done()
	stop()
	return 0
}
