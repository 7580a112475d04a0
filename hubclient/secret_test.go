package hubclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverShown(t *testing.T) {
	const value = "dckr_pat_s3cr3t-value"
	s := Secret(value)
	type wrapper struct {
		User  string
		Token Secret
		Ptr   *Secret
	}
	w := wrapper{User: "demo", Token: s, Ptr: &s}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-8v", "%T"} {
		out = append(out, fmt.Sprintf(verb, s), fmt.Sprintf(verb, w), fmt.Sprintf(verb, []Secret{s}), fmt.Sprintf(verb, map[string]Secret{"k": s}))
	}
	out = append(out, fmt.Sprint(s), fmt.Sprintln(s, w), s.String(), s.GoString(), fmt.Sprintf("%v", &s))
	out = append(out, fmt.Errorf("sign in with %v: %w", s, fmt.Errorf("%s", s)).Error())

	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(b))
	b, _ = json.Marshal(map[string]Secret{"token": s})
	out = append(out, string(b))
	b, _ = json.MarshalIndent(struct {
		S Secret `json:"s,omitempty"`
	}{s}, "", " ")
	out = append(out, string(b))

	var buf bytes.Buffer
	log.New(&buf, "", 0).Printf("token %v %s", s, w)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("signed in", "token", s, "w", w)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("signed in", "token", s)
	out = append(out, buf.String())

	for _, o := range out {
		if strings.Contains(o, value) || strings.Contains(o, "s3cr3t") || strings.Contains(o, fmt.Sprintf("%x", value)[:16]) {
			t.Errorf("secret shown: %s", o)
		}
	}
	if got := fmt.Sprintf("%v|%s|%q", s, s, s); got != "[redacted]|[redacted]|[redacted]" {
		t.Errorf("formatted = %q", got)
	}
	if !strings.Contains(string(coreMustJSON(t, w)), `"Token":"[redacted]"`) {
		t.Errorf("JSON = %s", coreMustJSON(t, w))
	}
	if s.Reveal() != value {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
}

func TestSecretEmptyAndUnmarshal(t *testing.T) {
	var empty Secret
	if fmt.Sprintf("%v%s", empty, empty) != "" || string(coreMustJSON(t, empty)) != `""` {
		t.Error("empty secret should print as empty")
	}
	var got struct {
		Token Secret `json:"token"`
	}
	if err := json.Unmarshal([]byte(`{"token":"dckr_pat_abc"}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.Token.Reveal() != "dckr_pat_abc" {
		t.Errorf("unmarshalled %q", got.Token.Reveal())
	}
	// Marshal a secret whose value holds quotes: still valid JSON, still redacted.
	b := coreMustJSON(t, Secret(`a"b\c`))
	var s string
	if err := json.Unmarshal(b, &s); err != nil || s != "[redacted]" {
		t.Errorf("JSON %s: %v", b, err)
	}
}

func coreMustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
