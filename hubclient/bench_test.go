package hubclient_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

// benchStatusCounter counts answers with one status (429 here) on their way
// back to the client, retried ones included.
type benchStatusCounter struct {
	status int
	n      *atomic.Int64
	base   http.RoundTripper
}

func (c benchStatusCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil && resp.StatusCode == c.status {
		c.n.Add(1)
	}
	return resp, err
}

// benchLargeSim starts the large dataset (10,000 repositories, acme/big with
// 100,000 tags) with opts.
func benchLargeSim(b *testing.B, opts hubsim.Options) (*hubsim.Server, string) {
	b.Helper()
	opts.Dataset = "large"
	sim, err := hubsim.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return sim, url
}

// BenchmarkListAllRepos lists every repository of the large dataset (101
// pages of 100) from a simulator that answers in 50 ms and allows the
// default 180 requests a minute, with ListAll's default concurrency and one
// page at a time. No answer may be a 429.
func BenchmarkListAllRepos(b *testing.B) {
	sim, url := benchLargeSim(b, hubsim.Options{Latency: 50 * time.Millisecond})
	for _, bc := range []struct {
		name string
		opts []hubclient.Option
	}{
		{"concurrent", nil},
		{"sequential", []hubclient.Option{hubclient.WithConcurrency(1)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var tooMany atomic.Int64
			hc := &http.Client{Transport: benchStatusCounter{http.StatusTooManyRequests, &tooMany, http.DefaultTransport}}
			opts := append([]hubclient.Option{hubclient.WithBaseURL(url), hubclient.WithHTTPClient(hc),
				hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword)}, bc.opts...)
			c, err := hubclient.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if err := c.Auth.SignIn(ctx); err != nil {
				b.Fatal(err)
			}
			fetch := func(ctx context.Context, lo hubclient.ListOptions) ([]hubclient.Repository, *hubclient.Response, error) {
				return c.Repos.List(ctx, hubsim.DemoOrg, &hubclient.RepoListOptions{ListOptions: lo})
			}
			// One listing before timing: connections, the simulator's name
			// cache and the collector settle on the large heap.
			if _, err := hubclient.ListAll(ctx, c, fetch, nil); err != nil {
				b.Fatal(err)
			}
			pages, repos := 0, 0
			for b.Loop() {
				sim.ResetRateLimits()
				all, err := hubclient.ListAll(ctx, c, fetch, nil)
				if err != nil {
					b.Fatal(err)
				}
				repos = len(all)
				pages += (len(all) + hubclient.MaxPageSize - 1) / hubclient.MaxPageSize
			}
			if repos < 10000 {
				b.Fatalf("listed %d repositories, want 10,000 and more", repos)
			}
			if n := tooMany.Load(); n > 0 {
				b.Fatalf("%d answers were 429 Too Many Requests", n)
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkDecodeRepoPage decodes one 100-repository page as the simulator
// sends it, into the envelope and model the client uses.
func BenchmarkDecodeRepoPage(b *testing.B) {
	_, url := benchLargeSim(b, hubsim.Options{RateLimit: -1})
	resp, err := http.Get(url + "/v2/namespaces/" + hubsim.DemoOrg + "/repositories?page=3&page_size=100")
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("page: %d %v", resp.StatusCode, err)
	}
	type envelope struct {
		Count    int                    `json:"count"`
		Next     string                 `json:"next"`
		Previous string                 `json:"previous"`
		Results  []hubclient.Repository `json:"results"`
	}
	var check envelope
	if err := json.Unmarshal(body, &check); err != nil || len(check.Results) != 100 {
		b.Fatalf("page has %d rows: %v", len(check.Results), err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var pg envelope
		if err := json.Unmarshal(body, &pg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListBigTags reads one page of acme/big (100,000 tags) near the
// start and near the end: the cost must not grow with the page number.
func BenchmarkListBigTags(b *testing.B) {
	_, url := benchLargeSim(b, hubsim.Options{RateLimit: -1})
	c, err := hubclient.New(hubclient.WithBaseURL(url), hubclient.WithCredentials(hubsim.DemoUser, hubsim.DemoPassword))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, page := range []int{1, 999} {
		b.Run("page="+strconv.Itoa(page), func(b *testing.B) {
			list := func() {
				tags, resp, err := c.Tags.List(ctx, hubsim.DemoOrg, hubsim.BigRepo, &hubclient.TagListOptions{ListOptions: hubclient.ListOptions{Page: page}})
				if err != nil || len(tags) != 100 || resp.Count != 100000 {
					b.Fatalf("page %d: %d tags of %d, %v", page, len(tags), resp.Count, err)
				}
			}
			list() // signs in; the first page ever read builds the tag order once
			for b.Loop() {
				list()
			}
		})
	}
}
