package hubsim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	now := coreT0()
	for _, tc := range []struct {
		spec string
		want Faults
		bad  string // substring of the error; "" means valid
	}{
		{spec: "", want: Faults{Status: map[int]float64{}}},
		{spec: "   ", want: Faults{Status: map[int]float64{}}},
		{spec: "500=0.05", want: Faults{Status: map[int]float64{500: 0.05}}},
		{spec: "500=0.05,503=0.02,reset=0.01,stall=0.01,stall_for=5s,truncate=0.01,storm=10s",
			want: Faults{Status: map[int]float64{500: 0.05, 503: 0.02}, Reset: 0.01, Stall: 0.01, StallFor: 5 * time.Second,
				Truncate: 0.01, StormFrom: now, StormFor: 10 * time.Second}},
		{spec: " 429=1 , 404=0 ", want: Faults{Status: map[int]float64{429: 1, 404: 0}}},
		{spec: "reset=1", want: Faults{Status: map[int]float64{}, Reset: 1}},
		{spec: "stall_for=250ms", want: Faults{Status: map[int]float64{}, StallFor: 250 * time.Millisecond}},
		{spec: "500=1.5", bad: "between 0 and 1"},
		{spec: "500=-0.1", bad: "between 0 and 1"},
		{spec: "500=x", bad: "between 0 and 1"},
		{spec: "500", bad: "want name=value"},
		{spec: "500=0.1,", bad: "want name=value"},
		{spec: "200=0.1", bad: "4xx/5xx"},
		{spec: "600=0.1", bad: "4xx/5xx"},
		{spec: "teapot=0.1", bad: "4xx/5xx"},
		{spec: "stall_for=5", bad: "stall_for"},
		{spec: "storm=soon", bad: "storm"},
		{spec: "reset=2", bad: "between 0 and 1"},
	} {
		got, err := ParseFaults(tc.spec, now)
		if tc.bad != "" {
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("%q: err = %v, want one mentioning %q", tc.spec, err, tc.bad)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.spec, got, tc.want)
		}
	}
}

// coreLogin posts the demo sign-in and returns the status, or an error when
// no answer came back.
func coreLogin(url string) (*http.Response, []byte, error) {
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Post(url+"/v2/auth/token", "application/json", strings.NewReader(coreDemoLogin))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaultStatus(t *testing.T) {
	s, url := coreStart(t, Options{RateLimit: -1})
	s.SetFaults(Faults{Status: map[int]float64{503: 1}})
	for range 3 {
		resp, body, err := coreLogin(url)
		if err != nil {
			t.Fatal(err)
		}
		m := coreJSONMap(t, body)
		if resp.StatusCode != 503 || m["detail"] != "Simulated failure: 503 Service Unavailable" || m["message"] == nil {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	}
	s.SetFaults(Faults{Status: map[int]float64{429: 1}})
	resp, _, err := coreLogin(url)
	if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("429 fault: %v %v", resp, err)
	}
	// Rates in between: roughly that share fails, deterministically per seed.
	s.SetFaults(Faults{Status: map[int]float64{500: 0.5}})
	fails := 0
	for range 60 {
		resp, _, err := coreLogin(url)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode == 500 {
			fails++
		}
	}
	if fails < 10 || fails > 50 {
		t.Errorf("500=0.5 failed %d of 60", fails)
	}
	s.SetFaults(Faults{})
	if resp, _, err := coreLogin(url); err != nil || resp.StatusCode != 200 {
		t.Errorf("faults off: %v %v", resp, err)
	}
}

func TestFaultTruncate(t *testing.T) {
	s, url := coreStart(t, Options{RateLimit: -1})
	s.SetFaults(Faults{Truncate: 1})
	resp, body, err := coreLogin(url)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated answer: err = %v, body %q", err, body)
	}
	if resp == nil || resp.StatusCode != 200 || resp.ContentLength != 4096 {
		t.Errorf("truncated answer: %+v", resp)
	}
}

func TestFaultReset(t *testing.T) {
	s, url := coreStart(t, Options{RateLimit: -1})
	s.SetFaults(Faults{Reset: 1})
	if resp, _, err := coreLogin(url); err == nil {
		t.Errorf("reset: got an answer %d", resp.StatusCode)
	}
	// The server is still alive afterwards.
	s.SetFaults(Faults{})
	if resp, _, err := coreLogin(url); err != nil || resp.StatusCode != 200 {
		t.Errorf("after reset: %v %v", resp, err)
	}
}

func TestFaultStall(t *testing.T) {
	s, url := coreStart(t, Options{RateLimit: -1})
	s.SetFaults(Faults{Stall: 1, StallFor: 80 * time.Millisecond})
	start := time.Now()
	resp, _, err := coreLogin(url)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stall: %v %v", resp, err)
	}
	if el := time.Since(start); el < 80*time.Millisecond {
		t.Errorf("answered after %v, want the 80ms stall", el)
	}
	// A client that gives up ends the stall.
	s.SetFaults(Faults{Stall: 1}) // default 30s
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v2/users/demo", nil)
	start = time.Now()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("stalled request: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("gave up after %v", el)
	}
}

func TestFaultStorm(t *testing.T) {
	clk := NewFakeClock(coreT0())
	f, err := ParseFaults("storm=10s", clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, url := coreStart(t, Options{RateLimit: 100, Clock: clk, Faults: f})
	for range 3 {
		resp, _, err := coreLogin(url)
		if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-RateLimit-Limit") != "100" {
			t.Fatalf("in storm: %+v %v", resp, err)
		}
	}
	clk.Advance(10 * time.Second)
	if resp, _, err := coreLogin(url); err != nil || resp.StatusCode != 200 {
		t.Errorf("after storm: %+v %v", resp, err)
	}
}

func TestFaultStormWithoutRateLimit(t *testing.T) {
	// A storm blows even when the rate limit is off.
	clk := NewFakeClock(coreT0())
	s, url := coreStart(t, Options{RateLimit: -1, Clock: clk})
	s.SetFaults(Faults{StormFrom: clk.Now().Add(time.Second), StormFor: time.Minute})
	if resp, _, err := coreLogin(url); err != nil || resp.StatusCode != 200 {
		t.Errorf("before the storm: %+v %v", resp, err)
	}
	clk.Advance(time.Second)
	resp, _, err := coreLogin(url)
	if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("in the storm: %+v %v", resp, err)
	}
	clk.Advance(time.Minute)
	if resp, _, err := coreLogin(url); err != nil || resp.StatusCode != 200 {
		t.Errorf("after the storm: %+v %v", resp, err)
	}
}

func TestMatchFaultFailsOnlyItsRequest(t *testing.T) {
	s, err := New(Options{Dataset: "demo", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	s.SetFaults(Faults{Match: []MatchFault{{Method: http.MethodDelete, Path: "/v2/orgs/acme/members/max", Status: http.StatusConflict, Detail: "max is busy"}}})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodDelete, "/v2/orgs/acme/members/max", http.StatusConflict},
		{http.MethodDelete, "/v2/orgs/acme/members/max/", http.StatusConflict},
		{http.MethodPut, "/v2/orgs/acme/members/max", http.StatusUnauthorized}, // another method: served (and unauthenticated)
		{http.MethodDelete, "/v2/orgs/acme/members/erin", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, rec.Code, tc.want)
		}
		if tc.want == http.StatusConflict && !strings.Contains(rec.Body.String(), "max is busy") {
			t.Errorf("%s %s: body %q lacks the detail", tc.method, tc.path, rec.Body.String())
		}
	}
}
