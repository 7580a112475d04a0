package roster_test

import (
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/panes/invites/roster"
)

func TestParseHeaderColumnsAndProblems(t *testing.T) {
	text := "\ufeffTeam;E-mail;Role\r\n" + // not a header: its first column is no invitee column
		"# a comment\n" +
		"\n" +
		"alice@example.com\n" +
		"Bob,editor,dev\n" +
		"carol,admin\n" +
		"dave,member,nosuch\n" +
		"ALICE@example.com\n" +
		"bob,owner\n" +
		"not an address\n" +
		"e@x.example,member,dev,extra\n" +
		"\"unterminated,member\n"
	teams := func(n string) bool { return n == "dev" }
	res := roster.Parse(text, roster.Options{Team: teams})
	want := map[int]string{
		1:  `role "e-mail" is not one of`,
		6:  `role "admin" is not one of owner, editor, member`,
		7:  `there is no team "nosuch"`,
		9:  "bob is on line 5 already, as editor; this line asks for owner",
		10: `"not an address" is neither`,
		11: "4 columns; a line has at most three",
		12: "cannot read the line",
	}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems %+v", res.Problems)
	}
	for _, p := range res.Problems {
		if !strings.Contains(p.Reason, want[p.Line]) {
			t.Errorf("line %d: %q, want %q", p.Line, p.Reason, want[p.Line])
		}
	}
	if len(res.Rows) != 2 || res.Rows[0].Invitee != "alice@example.com" || res.Rows[1].Invitee != "bob" ||
		res.Rows[1].Role != "editor" || res.Rows[1].Team != "dev" {
		t.Fatalf("rows %+v", res.Rows)
	}
	if len(res.Merges) != 1 || res.Merges[0] != (roster.Merge{Line: 8, Into: 4, Invitee: "ALICE@example.com"}) {
		t.Fatalf("merges %+v", res.Merges)
	}
	if res.Ready() {
		t.Fatal("ready with problems")
	}
}

func TestParseHeaderInAnyOrder(t *testing.T) {
	res := roster.Parse("team\temail\trole\n", roster.Options{})
	if len(res.Problems) != 1 || res.Header != 0 {
		t.Fatalf("a first column that names no invitee is not a header: %+v", res)
	}
	res = roster.Parse("Email,Team,Role\nann@example.com,dev,owner\nzed,,\n", roster.Options{})
	if res.Header != 1 || !res.Ready() || len(res.Rows) != 2 {
		t.Fatalf("%+v", res)
	}
	if r := res.Rows[0]; r.Team != "dev" || r.Role != "owner" || r.Line != 2 {
		t.Fatalf("columns by header: %+v", r)
	}
	res = roster.Parse("email\nann@example.com,owner\n", roster.Options{})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Reason, "the header names 1") {
		t.Fatalf("%+v", res.Problems)
	}
}

func TestMergeFillsRoleAndTeam(t *testing.T) {
	res := roster.Parse("ann\nann,editor\nann,,dev\nANN,editor,dev\n", roster.Options{})
	if !res.Ready() || len(res.Rows) != 1 || len(res.Merges) != 3 {
		t.Fatalf("%+v", res)
	}
	if r := res.Rows[0]; r.Role != "editor" || r.Team != "dev" || len(r.Merged) != 3 {
		t.Fatalf("%+v", r)
	}
}

func TestGroupsSplitByRoleTeamAndSize(t *testing.T) {
	var b strings.Builder
	for i := range 5 {
		b.WriteString("u" + strings.Repeat("x", i+1) + "\n")
	}
	b.WriteString("e1@example.com,owner\ne2@example.com,owner,dev\n")
	res := roster.Parse(b.String(), roster.Options{})
	gs := roster.Groups(res.Rows, 2)
	var shape []string
	for _, g := range gs {
		shape = append(shape, g.Role+"/"+g.Team+":"+strings.Join(g.Invitees(), " "))
	}
	got := strings.Join(shape, "|")
	want := "/:ux uxx|/:uxxx uxxxx|/:uxxxxx|owner/:e1@example.com|owner/dev:e2@example.com"
	if got != want {
		t.Fatalf("groups %s\nwant   %s", got, want)
	}
}

func TestTextRoundTrips(t *testing.T) {
	res := roster.Parse("ann,editor,dev\nbob\ncarol,,ops\nbad one\n", roster.Options{})
	again := roster.Parse(roster.Text(res.Problems, res.Rows), roster.Options{})
	if len(again.Rows) != 3 || len(again.Problems) != 1 || again.Rows[2].Team != "ops" || again.Rows[2].Role != "" {
		t.Fatalf("%+v", again)
	}
}

// FuzzParse checks what Parse promises on any text: it does not panic,
// every row is valid and unique, and every line that is not blank, a
// comment or the header is a row, a problem or a merge, exactly once.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"alice@example.com\nbob,editor,dev\n", "email,role,team\nann,owner,\n", "a;b;c\n", "\"x\n", "x\t\ty\n",
		"ann\nANN,owner\nann,member\n", "\ufeff#c\r\n\r\nzed\n", "a@b.c,\"q\"\"\",t\n", strings.Repeat("x", 2000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		res := roster.Parse(text, roster.Options{Team: func(n string) bool { return n != "nosuch" }})
		lines := strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n")
		count := map[int]int{}
		keys := map[string]bool{}
		for _, r := range res.Rows {
			count[r.Line]++
			if err := hubclient.ValidateInvitee(r.Invitee); err != nil {
				t.Fatalf("row %+v: %v", r, err)
			}
			switch r.Role {
			case "", "owner", "editor", "member":
			default:
				t.Fatalf("row %+v: role", r)
			}
			if keys[r.Key()] {
				t.Fatalf("duplicate %q", r.Invitee)
			}
			keys[r.Key()] = true
		}
		for _, p := range res.Problems {
			count[p.Line]++
			if p.Reason == "" {
				t.Fatalf("problem without a reason: %+v", p)
			}
		}
		for _, m := range res.Merges {
			count[m.Line]++
			if m.Into >= m.Line {
				t.Fatalf("merge %+v", m)
			}
		}
		for i, l := range lines {
			n := i + 1
			l = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
			want := 1
			if l == "" || strings.HasPrefix(l, "#") || n == res.Header {
				want = 0
			}
			if count[n] != want {
				t.Fatalf("line %d (%q) accounted %d times, want %d", n, l, count[n], want)
			}
		}
	})
}
