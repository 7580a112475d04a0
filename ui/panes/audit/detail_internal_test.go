package audit

import (
	"testing"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
)

func TestObjectLink(t *testing.T) {
	for _, c := range []struct {
		e     hubclient.AuditLog
		kind  state.Kind
		scope string
	}{
		{hubclient.AuditLog{Action: "repo.tag.push", Name: "acme/web", Account: "acme"}, state.Tags, "acme/web"},
		{hubclient.AuditLog{Action: "org.team.member.add", Name: "erin", Account: "acme"}, state.Members, "erin"},
		{hubclient.AuditLog{Action: "org.member.role.change", Name: "acme", Account: "acme", Data: map[string]string{"member": "erin"}}, state.Members, "erin"},
		{hubclient.AuditLog{Action: "org.member.add", Name: "erin", Account: "acme"}, state.Members, "erin"},
		{hubclient.AuditLog{Action: "org.member.remove", Name: "acme", Account: "acme"}, "", ""},
		{hubclient.AuditLog{Action: "org.settings.update", Name: "acme", Account: "acme"}, "", ""},
	} {
		kind, scope, why := objectLink(c.e)
		if kind != c.kind || scope != c.scope || (kind == "") != (why != "") {
			t.Errorf("%s %q: %q %q (%q), want %q %q", c.e.Action, c.e.Name, kind, scope, why, c.kind, c.scope)
		}
	}
}
