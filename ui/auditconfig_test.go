package ui_test

import (
	"slices"
	"testing"

	"github.com/hubtui/hubtui/config"
	"github.com/hubtui/hubtui/hubclient"
	saudit "github.com/hubtui/hubtui/state/audit"
	"github.com/hubtui/hubtui/ui"
)

// TestAuditRulesFromTheConfig: the defaults come first, a file rule named
// like a default takes its place (and its patterns), the others follow in
// file order, and default_rules: false keeps only the file's.
func TestAuditRulesFromTheConfig(t *testing.T) {
	const yaml = `audit:
  rules:
    - name: pushes
      match:
        action: repo.tag.push
    - name: token-created
      match:
        action: org.access_token.create
        actor: alice
      do: [count]
`
	cfg, err := config.Parse("config.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	names := func(rules []saudit.Rule) []string {
		var out []string
		for _, r := range rules {
			out = append(out, r.Name)
		}
		return out
	}
	rules := ui.AuditRules(cfg)
	var want []string
	for _, r := range saudit.DefaultRules() {
		want = append(want, r.Name)
	}
	want = append(want, "pushes")
	if got := names(rules); !slices.Equal(got, want) {
		t.Fatalf("rules %v, want %v", got, want)
	}
	i := slices.Index(names(rules), saudit.RuleTokenCreated)
	r := rules[i]
	if r.Source != "config.yaml:6" || r.Bell || r.Highlight || !r.Count {
		t.Fatalf("the file's token-created rule did not replace the default: source %q, bell %v, highlight %v, count %v",
			r.Source, r.Bell, r.Highlight, r.Count)
	}
	byBob := hubclient.AuditLog{Action: "org.access_token.create", Actor: "bob"}
	byAlice := byBob
	byAlice.Actor = "alice"
	if r.Matches(byBob) || !r.Matches(byAlice) {
		t.Fatal("the replacing rule should match alice's tokens only")
	}

	cfg, err = config.Parse("config.yaml", []byte("audit:\n  default_rules: false\n"+yaml[len("audit:\n"):]))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(ui.AuditRules(cfg)); !slices.Equal(got, []string{"pushes", "token-created"}) {
		t.Fatalf("without the defaults: %v", got)
	}
}
