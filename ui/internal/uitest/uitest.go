// Package uitest drives the App in tests the way Bubble Tea does, but in
// the test's goroutine: Update is called directly, Cmds run in goroutines
// and their messages come back through a channel. Every pane package's
// tests use it against a hubsim over loopback; nothing is mocked.
package uitest

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/pane"
)

// FixedNow is the clock of every UI test, so screens do not depend on the day.
func FixedNow() time.Time { return time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) }

// StartSim runs a hubsim (the demo dataset unless told) on loopback with a
// fixed clock and no rate limit unless told.
func StartSim(t testing.TB, opts hubsim.Options) (*hubsim.Server, string) {
	t.Helper()
	if opts.Dataset == "" {
		opts.Dataset = "demo"
	}
	if opts.Clock == nil {
		opts.Clock = hubsim.NewFakeClock(FixedNow())
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = -1
	}
	sim, err := hubsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return sim, url
}

// Session signs in as user against url, in the demo org.
func Session(t testing.TB, url, user, password string, extra ...hubclient.Option) ui.Session {
	t.Helper()
	// The client's clock is the simulator's, so tokens do not look expired.
	c, err := hubclient.New(append([]hubclient.Option{hubclient.WithBaseURL(url), hubclient.WithCredentials(user, hubclient.Secret(password)),
		hubclient.WithClock(FixedNow)}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return ui.Session{Client: c, Context: "test", HubURL: url, User: user, Org: hubsim.DemoOrg, ReadOnly: c.ReadOnly()}
}

// Driver runs one App.
type Driver struct {
	T    testing.TB
	App  *ui.App
	msgs chan tea.Msg
	// Raw collects what Cmds asked to write to the terminal as is (OSC 52).
	Raw []string
}

// New starts an App of w×h cells.
func New(t testing.TB, opts ui.Options, w, h int) *Driver {
	t.Helper()
	if opts.Now == nil {
		opts.Now = FixedNow
	}
	d := &Driver{T: t, App: ui.New(opts), msgs: make(chan tea.Msg, 1024)}
	d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	d.Run(d.App.Init())
	return d
}

// Demo is the App at 120×40 signed in as demo on a demo hubsim, with the
// repositories loaded.
func Demo(t testing.TB) *Driver {
	t.Helper()
	d, _ := DemoWith(t, hubsim.Options{})
	return d
}

// Run runs cmd in a goroutine; its message comes back through the channel.
func (d *Driver) Run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { d.msgs <- cmd() }()
}

// Send gives msg to Update and runs the Cmd it returns.
func (d *Driver) Send(msg tea.Msg) {
	_, cmd := d.App.Update(msg)
	d.Run(cmd)
}

// Key presses keys, given as Bubble Tea spells them ("j", "enter", "ctrl+a").
func (d *Driver) Key(keys ...string) {
	for _, k := range keys {
		d.Send(KeyMsg(k))
	}
}

// Type types s one rune at a time.
func (d *Driver) Type(s string) {
	for _, r := range s {
		d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// KeyMsg is the key press Bubble Tea would deliver for k.
func KeyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: ' ', Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if c, ok := strings.CutPrefix(k, "alt+"); ok {
		r := []rune(c)[0]
		return tea.KeyPressMsg{Code: r, Mod: tea.ModAlt}
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	if r >= 'A' && r <= 'Z' {
		return tea.KeyPressMsg{Code: r + 32, Text: k, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r, Text: k}
}

// Until pumps messages until cond holds, failing after a timeout with the screen.
func (d *Driver) Until(what string, cond func() bool) {
	d.T.Helper()
	d.UntilWithin(10*time.Second, what, cond)
}

// UntilWithin is Until with its own timeout (benchmarks over big lists).
func (d *Driver) UntilWithin(limit time.Duration, what string, cond func() bool) {
	d.T.Helper()
	deadline := time.After(limit)
	for !cond() {
		select {
		case m := <-d.msgs:
			d.Deliver(m)
		case <-deadline:
			d.T.Fatalf("timed out waiting for %s; screen:\n%s", what, d.Screen())
		}
	}
}

// Settle delivers what arrives for dur.
func (d *Driver) Settle(dur time.Duration) {
	end := time.After(dur)
	for {
		select {
		case m := <-d.msgs:
			d.Deliver(m)
		case <-end:
			return
		}
	}
}

// Deliver hands m over as if a Cmd had returned it: a batch runs its Cmds,
// a raw write is recorded in Raw, anything else goes to Update. Tests that
// hold a Cmd back (to reorder answers) deliver its message with it.
func (d *Driver) Deliver(m tea.Msg) {
	switch m := m.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range m {
			d.Run(c)
		}
	case tea.RawMsg:
		d.Raw = append(d.Raw, fmt.Sprint(m.Msg))
	default:
		d.Send(m)
	}
}

// Screen is the frame without colour codes.
func (d *Driver) Screen() string { return ansi.Strip(d.App.View().Content) }

// Pane is the registry pane of kind k (the root of its tab).
func Pane[P pane.Pane](d *Driver, k state.Kind) P {
	p, ok := d.App.Pane(k).(P)
	if !ok {
		d.T.Fatalf("no %s pane of that type", k)
	}
	return p
}

// osc52 is one clipboard write, bare or wrapped for tmux.
var osc52 = regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]*)\x07`)

// Copied is every text the App put on the clipboard with OSC 52, oldest
// first, decoded.
func (d *Driver) Copied() []string {
	var out []string
	for _, r := range d.Raw {
		for _, m := range osc52.FindAllStringSubmatch(r, -1) {
			b, err := base64.StdEncoding.DecodeString(m[1])
			if err != nil {
				d.T.Fatalf("OSC 52 payload %q: %v", m[1], err)
			}
			out = append(out, string(b))
		}
	}
	return out
}

// UntilCopied waits for one more clipboard write than before held and
// returns it.
func (d *Driver) UntilCopied(before int) string {
	d.T.Helper()
	d.Until("a clipboard write", func() bool { return len(d.Copied()) > before })
	c := d.Copied()
	return c[len(c)-1]
}

// Bells counts the terminal bells the App rang (a raw BEL alone).
func (d *Driver) Bells() int {
	n := 0
	for _, r := range d.Raw {
		if r == "\a" {
			n++
		}
	}
	return n
}

// Footer is the last line of the screen (the key hints).
func (d *Driver) Footer() string {
	lines := strings.Split(strings.TrimRight(d.Screen(), "\n"), "\n")
	return lines[len(lines)-1]
}

// Contains waits until the screen shows every one of want.
func (d *Driver) Contains(want ...string) {
	d.T.Helper()
	d.Until(fmt.Sprintf("%q on screen", want), func() bool {
		s := d.Screen()
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// Palette runs cmd (without the colon) through the command palette.
func (d *Driver) Palette(cmd string) {
	d.Key(":")
	d.Type(cmd)
	d.Key("enter")
}

// DemoWith is Demo on a hubsim started with opts, which it also returns
// (to change the Hub under the App: faults, seats, pushed tags).
func DemoWith(t testing.TB, opts hubsim.Options) (*Driver, *hubsim.Server) {
	t.Helper()
	sim, url := StartSim(t, opts)
	d := New(t, ui.Options{Session: Session(t, url, "demo", "demo")}, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	return d, sim
}
