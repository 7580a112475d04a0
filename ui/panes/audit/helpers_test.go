package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/panes/audit"
)

// wallClockSession signs in to a hubsim that runs on the wall clock, as the
// tail does (its polls wait real time).
func wallClockSession(t *testing.T) ui.Session {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{Clock: hubsim.RealClock{}})
	return uitest.Session(t, url, "demo", "demo", hubclient.WithClock(time.Now))
}

// openAuditTab is the console on sess with the Audit pane's settings s,
// switched to the Audit tab once the repositories are in, its first page
// loaded.
func openAuditTab(t *testing.T, sess ui.Session, s audit.Settings, w, h int) *uitest.Driver {
	t.Helper()
	d := uitest.New(t, ui.Options{Session: sess, Now: time.Now, Panes: ui.RegistryWith(s)}, w, h)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	d.Key("7")
	d.Until("the log", func() bool { return strings.Contains(d.Screen(), " events held") })
	return d
}
