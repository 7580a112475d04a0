package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/config"
)

// TestReadmeRuleExampleParses keeps the README's watch-rule example true:
// it must be a config the loader accepts.
func TestReadmeRuleExampleParses(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	const open = "```yaml\naudit:"
	i := strings.Index(s, open)
	if i < 0 {
		t.Fatal("the README has no audit rule example")
	}
	body := s[i+len("```yaml\n"):]
	body = body[:strings.Index(body, "```")]
	cfg, err := config.Parse("README.md", []byte(body))
	if err != nil {
		t.Fatalf("the README's example: %v", err)
	}
	if len(cfg.Audit.Rules) == 0 {
		t.Fatal("the README's example defines no rule")
	}
}
