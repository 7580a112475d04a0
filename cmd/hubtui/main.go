// Command hubtui is a terminal console for administering Docker Hub
// organizations.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "--demo" {
		fmt.Fprintln(stderr, "usage: hubtui --demo")
		return 2
	}
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo"})
	if err != nil {
		fmt.Fprintln(stderr, "hubtui:", err)
		return 1
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "hubtui:", err)
		return 1
	}
	defer stop()
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword))
	if err != nil {
		fmt.Fprintln(stderr, "hubtui:", err)
		return 1
	}
	if err := c.Auth.SignIn(context.Background()); err != nil {
		fmt.Fprintln(stderr, "hubtui:", err)
		return 1
	}
	fmt.Fprintf(stdout, "signed in to %s as %s\n", url, c.Identifier())
	return 0
}
