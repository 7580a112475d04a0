package tokens_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/tokens"
)

// rig is an App on a hubsim whose clock the test moves; the App and the
// client read the same clock.
type rig struct {
	*uitest.Driver
	sim   *hubsim.Server
	url   string
	clock *hubsim.FakeClock
}

// options tune a rig.
type options struct {
	user, secret string
	readOnly     bool
	tmux         bool
	wrap         func(http.Handler) http.Handler // stands between the App and the simulator
}

func newRig(t *testing.T, o options) *rig {
	t.Helper()
	if o.user == "" {
		o.user, o.secret = hubsim.DemoUser, hubsim.DemoPassword
	}
	clock := hubsim.NewFakeClock(uitest.FixedNow())
	var sim *hubsim.Server
	var url string
	if o.wrap == nil {
		sim, url = uitest.StartSim(t, hubsim.Options{Clock: clock})
	} else {
		var err error
		sim, err = hubsim.New(hubsim.Options{Dataset: "demo", Clock: clock, RateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(o.wrap(sim))
		t.Cleanup(srv.Close)
		t.Cleanup(sim.Close)
		url = srv.URL
	}
	sess := uitest.Session(t, url, o.user, o.secret, hubclient.WithClock(clock.Now))
	sess.ReadOnly = o.readOnly
	d := uitest.New(t, ui.Options{Session: sess, Now: clock.Now, InTmux: o.tmux}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	r := &rig{Driver: d, sim: sim, url: url, clock: clock}
	return r
}

// openTokens shows the Tokens tab with the personal tokens loaded.
func (r *rig) openTokens() {
	r.T.Helper()
	r.Key("6")
	r.Until("personal tokens", func() bool { return strings.Contains(r.Screen(), "personal access tokens · loaded") })
}

// pane is the Tokens pane.
func (r *rig) pane() *tokens.Pane { return uitest.Pane[*tokens.Pane](r.Driver, state.Tokens) }

// sees waits until the screen shows s.
func (r *rig) sees(s string) {
	r.T.Helper()
	r.Until(fmt.Sprintf("%q on screen", s), func() bool { return strings.Contains(r.Screen(), s) })
}

// client is a fresh client of the simulator, signed in as user.
func (r *rig) client(user, secret string) *hubclient.Client {
	r.T.Helper()
	c, err := hubclient.New(hubclient.WithBaseURL(r.url), hubclient.WithCredentials(user, hubclient.Secret(secret)), hubclient.WithClock(r.clock.Now))
	if err != nil {
		r.T.Fatal(err)
	}
	return c
}

func (r *rig) demo() *hubclient.Client { return r.client(hubsim.DemoUser, hubsim.DemoPassword) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// footer is the last line of the screen.
func footer(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

// findString walks v (pointers, structs, slices, maps, interfaces) and
// returns the path of the first string or byte slice holding s, or "".
// The client's own insides (its HTTP transport's buffers) are not the
// model and are skipped.
func findString(v reflect.Value, s, path string, seen map[uintptr]bool) string {
	if !v.IsValid() {
		return ""
	}
	if v.Type() == reflect.TypeFor[*hubclient.Client]() {
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		if strings.Contains(v.String(), s) {
			return path
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return ""
		}
		seen[v.Pointer()] = true
		return findString(v.Elem(), s, path, seen)
	case reflect.Interface:
		return findString(v.Elem(), s, path, seen)
	case reflect.Struct:
		for i := range v.NumField() {
			if p := findString(v.Field(i), s, path+"."+v.Type().Field(i).Name, seen); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice {
			if v.IsNil() {
				return ""
			}
			if v.Type().Elem().Kind() == reflect.Uint8 {
				if bytes.Contains(v.Bytes(), []byte(s)) {
					return path
				}
				return ""
			}
		}
		for i := range v.Len() {
			if p := findString(v.Index(i), s, fmt.Sprintf("%s[%d]", path, i), seen); p != "" {
				return p
			}
		}
	case reflect.Map:
		if v.IsNil() || seen[v.Pointer()] {
			return ""
		}
		seen[v.Pointer()] = true
		it := v.MapRange()
		for it.Next() {
			if p := findString(it.Key(), s, path+"{key}", seen); p != "" {
				return p
			}
			if p := findString(it.Value(), s, path+"{value}", seen); p != "" {
				return p
			}
		}
	}
	return ""
}

// modelHolds is where in the App the string s is kept, or "".
func modelHolds(app *ui.App, s string) string {
	return findString(reflect.ValueOf(app), s, "App", map[uintptr]bool{})
}
