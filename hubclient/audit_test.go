package hubclient_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
)

func TestAuditList(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	c := e.owner()

	logs, resp, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{PageSize: hubclient.DefaultAuditPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 25 || resp.Count != 0 || !strings.HasPrefix(resp.Next, e.url+"/v2/auditlogs/acme?") || !strings.Contains(resp.Next, "page=2") {
		t.Fatalf("page 1: %d logs, count %d, next %q", len(logs), resp.Count, resp.Next)
	}
	if !slices.IsSortedFunc(logs, func(a, b hubclient.AuditLog) int { return b.Timestamp.Compare(a.Timestamp) }) {
		t.Errorf("not newest first")
	}
	for _, ev := range logs {
		if ev.Account != hubsim.DemoOrg || ev.Action == "" || ev.Name == "" || ev.Actor == "" || ev.Timestamp.IsZero() || ev.ActionDescription == "" || ev.Data == nil {
			t.Errorf("event %+v", ev)
		}
	}
	page2, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{Page: 2, PageSize: 25}})
	if err != nil || len(page2) != 25 || page2[0].Timestamp.After(logs[24].Timestamp) || page2[0].Key() == logs[24].Key() {
		t.Fatalf("page 2: %v", err)
	}

	// Filters.
	pushes, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{Action: "repo.tag.push"})
	if err != nil || len(pushes) != 100 {
		t.Fatalf("pushes: %v %d", err, len(pushes))
	}
	for _, ev := range pushes {
		if ev.Action != "repo.tag.push" || ev.Data["tag"] == "" || !strings.HasPrefix(ev.Data["digest"], "sha256:") ||
			!strings.HasPrefix(ev.ActionDescription, "pushed the tag "+ev.Data["tag"]) {
			t.Errorf("push %+v", ev)
		}
	}
	repo, actor := pushes[0].Name, pushes[0].Actor
	byName, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{Name: repo})
	if err != nil || len(byName) == 0 {
		t.Fatalf("by name: %v", err)
	}
	for _, ev := range byName {
		if ev.Name != repo {
			t.Errorf("name filter %s let through %+v", repo, ev)
		}
	}
	byActor, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{Actor: actor, Action: "repo.tag.push"})
	if err != nil || len(byActor) == 0 {
		t.Fatalf("by actor: %v", err)
	}
	for _, ev := range byActor {
		if ev.Actor != actor || ev.Action != "repo.tag.push" {
			t.Errorf("actor filter %s let through %+v", actor, ev)
		}
	}
	from, to := logs[20].Timestamp, logs[5].Timestamp
	window, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{From: from, To: to})
	if err != nil || len(window) != 16 || !window[0].Timestamp.Equal(to) || !window[15].Timestamp.Equal(from) {
		t.Errorf("window [%s, %s]: %v, %d events", from, to, err, len(window))
	}

	// Pages follows the synthesized next links to the end of a filtered log.
	var all []hubclient.AuditLog
	for rows, err := range hubclient.Pages(ctx, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.AuditLog, *hubclient.Response, error) {
		return c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: o, Action: "repo.change_privacy"})
	}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
	}
	if len(all) < 50 || len(all) > 200 {
		t.Errorf("%d privacy changes", len(all))
	}
	// A page past the end is empty, not an error.
	empty, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{Page: 500}})
	if err != nil || len(empty) != 0 {
		t.Errorf("past the end: %v, %d", err, len(empty))
	}

	// Validation refusals.
	e.nothingSent("to before from", func() error {
		_, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{From: to, To: from})
		return err
	}, isValidation("to"))
	e.nothingSent("page size", func() error {
		_, _, err := c.Audit.List(ctx, hubsim.DemoOrg, &hubclient.AuditListOptions{ListOptions: hubclient.ListOptions{PageSize: 500}})
		return err
	}, isValidation("page_size"))
	e.nothingSent("no account", func() error { _, _, err := c.Audit.List(ctx, "", nil); return err }, isValidation("account"))
	e.nothingSent("no account actions", func() error { _, _, err := c.Audit.Actions(ctx, ""); return err }, isValidation("account"))
	status, body := e.raw(c, http.MethodGet, "/v2/auditlogs/acme?from=yesterday", "", "")
	if status != http.StatusBadRequest || !strings.Contains(body, `"code":3`) {
		t.Errorf("bad from: %d %s", status, body)
	}
}

func TestAuditAccess(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	for _, who := range []struct {
		id, secret string
		status     int
	}{
		{hubsim.DemoUser, hubsim.DemoPassword, 0},
		{hubsim.DemoUser, hubsim.DemoPAT, 0},
		{hubsim.DemoOrg, hubsim.DemoOAT, 0},
		{hubsim.EditorUser, hubsim.EditorUser, http.StatusForbidden},
		{hubsim.MemberUser, hubsim.MemberUser, http.StatusForbidden},
		{hubsim.OutsiderUser, hubsim.OutsiderUser, http.StatusForbidden},
	} {
		cl := e.client(who.id, who.secret)
		_, _, err := cl.Audit.List(ctx, hubsim.DemoOrg, nil)
		_, _, aerr := cl.Audit.Actions(ctx, hubsim.DemoOrg)
		if who.status == 0 {
			if err != nil || aerr != nil {
				t.Errorf("%s: %v / %v", who.id, err, aerr)
			}
			continue
		}
		wantStatus(t, who.id+" reads the log", err, who.status)
		wantStatus(t, who.id+" reads the actions", aerr, who.status)
	}
	// An OAT without audit-log-read.
	oat, _, err := e.owner().OrgTokens.Create(ctx, hubsim.DemoOrg, hubclient.CreateOrgAccessTokenRequest{Label: "members only",
		Resources: []hubclient.OrgAccessTokenResource{{Type: "TYPE_ORG", Path: "*", Scopes: []string{"member-read"}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.client(hubsim.DemoOrg, oat.Token.Reveal()).Audit.List(ctx, hubsim.DemoOrg, nil)
	wantStatus(t, "OAT without audit-log-read", err, http.StatusForbidden)
	_, _, err = e.owner().Audit.List(ctx, "no-such-org", nil)
	wantStatus(t, "unknown org", err, http.StatusNotFound)
	// A personal namespace has an empty log.
	logs, _, err := e.owner().Audit.List(ctx, hubsim.DemoUser, nil)
	if err != nil || len(logs) != 0 {
		t.Errorf("personal log: %v, %d", err, len(logs))
	}
}

// simAuditActions lists the audit actions the simulator's source records:
// the action argument of every s.audit(...) call and every Action set by
// the datasets.
func simAuditActions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("hubsim/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("simulator sources: %v", err)
	}
	seen := map[string]bool{}
	fset := token.NewFileSet()
	lit := func(x ast.Expr) {
		if bl, ok := x.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			if s, err := strconv.Unquote(bl.Value); err == nil && strings.Contains(s, ".") {
				seen[s] = true
			}
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "audit" && len(n.Args) > 1 {
					lit(n.Args[1])
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Action" && i < len(n.Rhs) {
						lit(n.Rhs[i])
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Action" {
					lit(n.Value)
				}
			}
			return true
		})
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

func TestAuditActions(t *testing.T) {
	e := newEnv(t, hubsim.Options{})
	ctx := context.Background()
	acts, _, err := e.owner().Audit.Actions(ctx, hubsim.DemoOrg)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"billing", "enterprise", "offload", "oidc", "org", "repo"} {
		grp, ok := acts[g]
		if !ok || grp.Label == "" || len(grp.Actions) == 0 {
			t.Errorf("group %s: %+v", g, grp)
		}
		for _, a := range grp.Actions {
			if a.Name == "" || a.Label == "" || a.Description == "" || strings.HasPrefix(a.Name, g+".") {
				t.Errorf("%s action %+v", g, a)
			}
		}
	}
	names := acts.Names()
	if !slices.IsSorted(names) || !slices.Contains(names, "repo.tag.push") || !slices.Contains(names, "billing.plan.upgrade") || slices.Contains(names, "plan.upgrade") {
		t.Errorf("names %v", names)
	}
	if a, ok := acts.Lookup("org.access_token.create"); !ok || a.Label != "Access token created" {
		t.Errorf("lookup: %+v %v", a, ok)
	}
	if _, ok := acts.Lookup("repo.nothing"); ok {
		t.Errorf("lookup of an unknown action succeeded")
	}
	emitted := simAuditActions(t)
	for _, want := range []string{"repo.tag.push", "repo.tag.delete", "org.member.role.change", "org.team.member.add",
		"org.team.member.remove", "org.access_token.create", "org.access_token.update", "org.access_token.delete", "org.member.add"} {
		if !slices.Contains(emitted, want) {
			t.Errorf("source scan missed %s (found %v)", want, emitted)
		}
	}
	for _, a := range emitted {
		if !slices.Contains(names, a) {
			t.Errorf("the simulator records %s, which the action catalogue lacks", a)
		}
	}
}
