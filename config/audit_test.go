package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/assets"
)

const rulesConfig = `audit:
  buffer: 2000
  share: 0.5
  default_rules: false
  rules:
    - name: releases
      match:
        action: repo.tag.push
        name: acme/*
        data:
          tag: re:^v[0-9]+\.[0-9]+$
      do: [highlight, bell]
    - name: groups
      match:
        action: [org.member, repo]
    - name: bots
      match:
        actor: ci-?ot*
      do: []
    - name: one-word
      match:
        action: "org.*.create"
      do: bell
`

func TestParseAuditRules(t *testing.T) {
	cfg, err := Parse("rules.yaml", []byte(rulesConfig))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Audit
	if a.Buffer != 2000 || a.Share != 0.5 || a.DefaultRules || len(a.Rules) != 4 {
		t.Fatalf("audit = %+v", a)
	}
	rel, groups, bots, one := a.Rules[0], a.Rules[1], a.Rules[2], a.Rules[3]
	if rel.Name != "releases" || rel.Source() != "rules.yaml:6" || !rel.Highlight || !rel.Bell || rel.Count {
		t.Errorf("releases = %+v (%s)", rel, rel.Source())
	}
	if got, want := rel.Summary(), `action repo.tag.push, name acme/*, data tag=re:^v[0-9]+\.[0-9]+$`; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if !groups.Highlight || !groups.Count || groups.Bell || groups.Line != 13 {
		t.Errorf("a rule without do: should highlight and count: %+v", groups)
	}
	if bots.Highlight || bots.Bell || bots.Count {
		t.Errorf("do: [] should do nothing: %+v", bots)
	}
	if !one.Bell || one.Highlight || one.Count {
		t.Errorf("do: bell = %+v", one)
	}
	check := func(what string, p *Pattern, yes, no []string) {
		t.Helper()
		for _, s := range yes {
			if !p.Re.MatchString(s) {
				t.Errorf("%s %q (%s) does not match %q", what, p.Text, p.Re, s)
			}
		}
		for _, s := range no {
			if p.Re.MatchString(s) {
				t.Errorf("%s %q (%s) matches %q", what, p.Text, p.Re, s)
			}
		}
	}
	check("action", &rel.Actions[0], []string{"repo.tag.push"}, []string{"repo.tag.pushed", "repo.tag", "xrepo.tag.push", "repoXtag.push"})
	check("name", rel.Object, []string{"acme/web", "acme/"}, []string{"acmex/web", "other/acme/web"})
	tag := rel.Data["tag"]
	check("data", &tag, []string{"v1.2", "v10.0"}, []string{"latest", "1.2", "v1.2-rc1"})
	check("group", &groups.Actions[0], []string{"org.member", "org.member.add", "org.member.role.change"}, []string{"org.members", "org.team.member.add"})
	check("group", &groups.Actions[1], []string{"repo.create", "repo.tag.push"}, []string{"repository.create", "org.repo.x"})
	check("actor", bots.Actor, []string{"ci-bot", `ci-bot - access token "CI"`, "ci-rot"}, []string{"ci-bt", "xci-bot"})
	check("glob", &one.Actions[0], []string{"org.access_token.create", "org.team.create"}, []string{"org.create", "org.team.update", "org.team.create.x"})
}

func TestParseAuditDefaults(t *testing.T) {
	for _, doc := range []string{"", "audit:\n", "audit:\n  buffer:\n  rules:\n"} {
		cfg, err := Parse("x.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if a := cfg.Audit; a.Buffer != DefaultAuditBuffer || a.Share != DefaultAuditShare || !a.DefaultRules || a.Rules != nil {
			t.Errorf("%q: audit = %+v, want the defaults", doc, a)
		}
	}
	cfg, err := Parse("x.yaml", []byte("audit:\n  buffer: 1000000\n  share: 1\n"))
	if err != nil || cfg.Audit.Buffer != MaxAuditBuffer || cfg.Audit.Share != 1 {
		t.Fatalf("the limits are refused: %v %+v", err, cfg)
	}
}

func TestParseAuditErrors(t *testing.T) {
	rule := func(body string) string {
		return "theme: dark\naudit:\n  rules:\n    - name: r\n" + body
	}
	for _, c := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"bad regexp", rule("      match:\n        action: re:repo.(tag\n"), 6, "does not compile: missing closing )"},
		{"bad regexp in data", rule("      match:\n        data:\n          tag: re:[v\n"), 7, "match.data.tag"},
		{"empty re", rule("      match:\n        actor: \"re:\"\n"), 6, "no regular expression"},
		{"unknown do", rule("      match:\n        action: repo\n      do: [highlight, beep]\n"), 7, `"beep" is not something a rule can do; did you mean "bell"?`},
		{"unknown do far off", rule("      match:\n        action: repo\n      do: [explode]\n"), 7, "each must be highlight, bell or count"},
		{"empty do", rule("      match:\n        action: repo\n      do:\n"), 7, "use [] to only count"},
		{"duplicate name", rule("      match: {action: repo}\n    - name: r\n      match: {action: org}\n"), 6, `rule name "r" is used twice (first on line 4)`},
		{"unknown rule key", rule("      match: {action: repo}\n      when: always\n"), 6, `unknown key "when" in rule "r"`},
		{"unknown match key", rule("      match:\n        object: acme/web\n"), 6, `unknown key "object" in rule "r" match; known keys are action, actor, name, data`},
		{"unknown audit key", "audit:\n  bufer: 10\n", 2, `unknown key "bufer" in audit; did you mean "buffer"?`},
		{"no name", "audit:\n  rules:\n    - match: {action: repo}\n", 3, "rule 1 has no name"},
		{"no match", rule("      do: [bell]\n"), 4, `rule "r" matches nothing in particular`},
		{"empty match", rule("      match: {}\n"), 5, `rule "r" matches nothing in particular`},
		{"empty action list", rule("      match:\n        action: []\n"), 6, "empty list"},
		{"empty action", rule("      match:\n        action: \"\"\n"), 6, "match.action is empty"},
		{"action mapping", rule("      match:\n        action: {a: b}\n"), 6, "must be a pattern"},
		{"rules not a list", "audit:\n  rules: {a: b}\n", 2, "audit.rules must be a list"},
		{"rule not a mapping", "audit:\n  rules:\n    - repo\n", 3, "rule 1 must be a mapping"},
		{"buffer too small", "audit:\n  buffer: 999\n", 2, "audit.buffer must be a whole number of events from 1000 to 1000000, not the number 999"},
		{"buffer too big", "audit:\n  buffer: 1000001\n", 2, "from 1000 to 1000000"},
		{"buffer text", "audit:\n  buffer: lots\n", 2, `not "lots"`},
		{"share zero", "audit:\n  share: 0\n", 2, "audit.share must be a number above 0 and at most 1"},
		{"share above one", "audit:\n  share: 1.5\n", 2, "audit.share"},
		{"share percent", "audit:\n  share: 25%\n", 2, "audit.share"},
		{"default_rules text", "audit:\n  default_rules: maybe\n", 2, "audit.default_rules must be true or false"},
		{"audit a list", "audit: [a]\n", 1, "audit must be a mapping"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(c.doc))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.Line != c.line || e.File != "c.yaml" {
				t.Errorf("error at %s:%d, want c.yaml:%d: %v", e.File, e.Line, c.line, err)
			}
			if !strings.Contains(e.Msg, c.want) {
				t.Errorf("message %q lacks %q", e.Msg, c.want)
			}
		})
	}
}

// TestTemplateRuleExamplesLoad: the template's commented example rules,
// uncommented, load and mean what they say.
func TestTemplateRuleExamplesLoad(t *testing.T) {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(string(assets.ConfigTemplate()), "\n") {
		switch {
		case strings.HasPrefix(line, "  rules:"):
			in = true
			b.WriteString("audit:\n  rules:\n")
		case in && strings.HasPrefix(line, "    # "):
			b.WriteString("    " + strings.TrimPrefix(line, "    # ") + "\n")
		case in:
			in = false
		}
	}
	cfg, err := Parse("example.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("the example rules do not load: %v\n%s", err, b.String())
	}
	if len(cfg.Audit.Rules) < 3 {
		t.Fatalf("only %d example rules:\n%s", len(cfg.Audit.Rules), b.String())
	}
	rel := cfg.Audit.Rules[0]
	if tag := rel.Data["tag"]; tag.Re == nil || !tag.Re.MatchString("v1.2.3") || tag.Re.MatchString("v1x2.3") {
		t.Errorf("the release-tags example's tag pattern is %v", tag.Re)
	}
}

func TestCompilePattern(t *testing.T) {
	for _, c := range []struct {
		in     string
		action bool
		want   string
	}{
		{"repo", true, `^repo(\..*)?$`},
		{"repo", false, `^repo$`},
		{"repo.*", true, `^repo\..*$`},
		{"a?c", false, `^a.c$`},
		{"acme/web+x", false, `^acme/web\+x$`},
		{"re:^x|y", true, `^x|y`},
	} {
		re, err := CompilePattern(c.in, c.action)
		if err != nil || re.String() != c.want {
			t.Errorf("CompilePattern(%q, %v) = %v, %v; want %s", c.in, c.action, re, err, c.want)
		}
	}
	if _, err := CompilePattern("re:(", false); err == nil {
		t.Error("a bad regexp compiled")
	}
}
