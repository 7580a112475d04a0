package ui_test

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

// goldenScreen runs the App in a real tea.Program (teatest) against hubsim,
// waits for the repositories, applies keys, and compares the final frame,
// without colour codes, with testdata/<test>.golden (refresh with -update).
func goldenScreen(t *testing.T, w, h int, keys []string, waitFor string) {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{})
	tm := teatest.NewTestModel(t, ui.New(ui.Options{Session: uitest.Session(t, url, "demo", "demo"), Now: uitest.FixedNow}), teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("60 repositories")) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	for _, k := range keys {
		tm.Send(uitest.KeyMsg(k))
	}
	if waitFor != "" {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(waitFor)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	tm.Send(uitest.KeyMsg("ctrl+c")) // q closes help rather than quitting
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.App)
	teatest.RequireEqualOutput(t, []byte(ansi.Strip(fm.Render()))) // the last frame as it was before quitting
}

func TestGoldenRepos80x24(t *testing.T) { goldenScreen(t, 80, 24, nil, "") }

func TestGoldenRepos120x40(t *testing.T) {
	goldenScreen(t, 120, 40, []string{"j", "j", "space"}, "1 marked")
}

func TestGoldenHelp120x40(t *testing.T) { goldenScreen(t, 120, 40, []string{"?"}, "command palette") }

func TestGoldenHelp80x24(t *testing.T) {
	goldenScreen(t, 80, 24, []string{"?", "j", "j"}, "") // keys arrive in order: no wait needed
}
