package assets

import (
	"bytes"
	"testing"
)

func TestConfigTemplate(t *testing.T) {
	a := ConfigTemplate()
	if len(a) == 0 {
		t.Fatal("the config template is empty")
	}
	for _, key := range []string{
		"current_context:", "contexts:", "name:", "hub_url:", "username:", "org:",
		"readonly:", "secret:", "theme:", "page_size:", "audit_poll_interval:", "keys:",
	} {
		if !bytes.Contains(a, []byte(key)) {
			t.Errorf("the config template does not mention %s", key)
		}
	}
	a[0] ^= 0xff
	if b := ConfigTemplate(); b[0] == a[0] {
		t.Error("ConfigTemplate returns shared memory")
	}
}
