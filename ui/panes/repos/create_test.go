package repos_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/hubclient/hubsim"
	"github.com/hubtui/hubtui/ui"
	"github.com/hubtui/hubtui/ui/internal/uitest"
)

// withEditor is an App whose $EDITOR writes text into the file it is
// given; the program runs in the Cmd's goroutine, as the terminal would
// run it between two frames. An empty text means no editor is set.
func withEditor(t *testing.T, text string) (*uitest.Driver, *hubclient.Client) {
	t.Helper()
	_, url := uitest.StartSim(t, hubsim.Options{})
	sess := uitest.Session(t, url, "demo", "demo")
	env := map[string]string{}
	if text != "" {
		dir := t.TempDir()
		src := filepath.Join(dir, "src.md")
		if err := os.WriteFile(src, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(dir, "ed.sh")
		// The editor checks it got a private file, then writes the text.
		body := "#!/bin/sh\nperm=$(stat -c %a \"$1\")\n[ \"$perm\" = 600 ] || { echo \"mode $perm\" >&2; exit 3; }\ncp " + src + " \"$1\"\necho \"$1\" > " + filepath.Join(dir, "edited") + "\n"
		if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
			t.Fatal(err)
		}
		env["EDITOR"] = "sh " + script
		t.Cleanup(func() {
			b, _ := os.ReadFile(filepath.Join(dir, "edited"))
			if p := strings.TrimSpace(string(b)); p != "" {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("the temporary file %s was left behind", p)
				}
			}
		})
	}
	opts := ui.Options{Session: sess, Getenv: func(k string) string { return env[k] },
		Exec: func(c *exec.Cmd, fn tea.ExecCallback) tea.Cmd { return func() tea.Msg { return fn(c.Run()) } }}
	d := uitest.New(t, opts, 120, 40)
	d.Until("repositories", func() bool { return strings.Contains(d.Screen(), " repositories · loaded") })
	return d, sess.Client
}

func TestCreateFormWithREADMEFromTheEditor(t *testing.T) {
	d, c := withEditor(t, "# Ledger\n\nKeeps the books.\n")
	d.Key("n")
	if !strings.Contains(d.Screen(), "New repository") {
		t.Fatalf("n did not open the form:\n%s", d.Screen())
	}
	d.Key("tab")
	d.Type("Bad Name")
	if !strings.Contains(d.Screen(), "is not a valid repository name") {
		t.Fatalf("an invalid name is not refused as typed:\n%s", d.Screen())
	}
	for range len("Bad Name") {
		d.Key("backspace")
	}
	d.Type("billing") // exists
	if !strings.Contains(d.Screen(), "acme/billing already exists") {
		t.Fatalf("an existing name is not refused as typed:\n%s", d.Screen())
	}
	for range len("billing") {
		d.Key("backspace")
	}
	d.Type("ledger")
	d.Key("tab")
	d.Type("The books")
	if !strings.Contains(d.Screen(), "9/100") {
		t.Fatalf("no character counter:\n%s", d.Screen())
	}
	d.Key("tab", "right") // public
	d.Key("tab", "right") // write a README
	d.Key("enter")
	d.Until("the create", func() bool { return strings.Contains(d.Screen(), "created acme/ledger") })
	info, _, err := c.Repos.Get(context.Background(), "acme", "ledger")
	if err != nil {
		t.Fatal(err)
	}
	if info.IsPrivate || info.Description != "The books" || info.FullDescription != "# Ledger\n\nKeeps the books.\n" {
		t.Fatalf("created %+v", info)
	}
	if !strings.Contains(d.Screen(), "ledger") {
		t.Fatalf("the new repository is not listed:\n%s", d.Screen())
	}
}

func TestCreateConflictShowsBesideTheNameAndKeepsTheForm(t *testing.T) {
	d, c := withEditor(t, "")
	d.Key("n", "tab")
	d.Type("racer")
	d.Key("tab")
	d.Type("first")
	// Someone else creates it meanwhile: the Hub answers 409.
	if _, _, err := c.Repos.Create(context.Background(), "acme", &hubclient.RepositoryCreateRequest{Name: "racer"}); err != nil {
		t.Fatal(err)
	}
	d.Key("ctrl+s")
	d.Until("the refusal", func() bool {
		return strings.Contains(d.Screen(), "New repository") && strings.Contains(d.Screen(), "409") || strings.Contains(d.Screen(), "already exists") && strings.Contains(d.Screen(), "New repository")
	})
	s := d.Screen()
	if !strings.Contains(s, "first") || !strings.Contains(s, "racer") {
		t.Fatalf("the form lost what was typed:\n%s", s)
	}
}

func TestEditREADMEInATextAreaWhenNoEditor(t *testing.T) {
	d, c := withEditor(t, "")
	d.Key("/")
	d.Type("'billing")
	d.Key("enter")
	d.Until("the filter", func() bool { return strings.Contains(d.Screen(), `filter "'billing": 1`) })
	d.Key("enter")
	d.Until("the details", func() bool {
		return strings.Contains(d.Screen(), "Hub address") && !strings.Contains(d.Screen(), "loading")
	})
	d.Key("E")
	if !strings.Contains(d.Screen(), "No $EDITOR") {
		t.Fatalf("no text area:\n%s", d.Screen())
	}
	d.Type("Added line.")
	d.Key("ctrl+s")
	if !strings.Contains(d.Screen(), "Save the README of acme/billing?") {
		t.Fatalf("saving did not ask first:\n%s", d.Screen())
	}
	d.Key("y")
	d.Until("the save", func() bool { return strings.Contains(d.Screen(), "saved the README of acme/billing") })
	info, _, err := c.Repos.Get(context.Background(), "acme", "billing")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(info.FullDescription, "Added line.") || !strings.Contains(info.FullDescription, "## Quick start") {
		t.Fatalf("README now %q", info.FullDescription)
	}
	d.Until("the new rendering", func() bool { d.Key("G"); return strings.Contains(d.Screen(), "Added line.") })
}

// openDetail opens the detail page of acme/name from the list.
func openDetail(t *testing.T, d *uitest.Driver, name string) {
	t.Helper()
	d.Key("/")
	d.Type("^" + name + "$")
	d.Key("enter")
	d.Until("the filter", func() bool { return strings.Contains(d.Screen(), `filter "^`+name+`$": 1`) })
	d.Key("enter")
	d.Until("the details", func() bool {
		return strings.Contains(d.Screen(), "Hub address") && !strings.Contains(d.Screen(), "loading")
	})
}
