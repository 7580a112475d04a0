package ui_test

import (
	"testing"

	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/internal/uitest"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/panes/repos"
	"github.com/hubtui/hubtui/ui/panes/tags"
)

// sortCol is the column a list sorts by (-1: the server's order).
func sortCol[T any](l *list.List[T]) int {
	c, _ := l.Sort()
	return c
}

// demoDriver is the App at 120×40 signed in as demo on a demo hubsim, with
// the repositories loaded.
func demoDriver(t *testing.T) *uitest.Driver {
	t.Helper()
	d := uitest.Demo(t)
	d.Until("repositories", reposLoaded(d))
	return d
}

func repoPane(d *uitest.Driver) *repos.Pane { return uitest.Pane[*repos.Pane](d, state.Repos) }
func tagPane(d *uitest.Driver) *tags.Pane   { return uitest.Pane[*tags.Pane](d, state.Tags) }

// reposLoaded says whether the Repos list has loaded.
func reposLoaded(d *uitest.Driver) func() bool {
	return func() bool { return repoPane(d).L.Coll().Status == state.Loaded }
}

// openTags runs `:tags ref` through the palette and waits for the tags.
func openTags(d *uitest.Driver, ref string) *tags.Pane {
	d.T.Helper()
	d.Key(":")
	d.Type("tags " + ref)
	d.Key("enter")
	tp := tagPane(d)
	d.Until("the tags of "+ref, func() bool { return tp.L.Scope() == ref && tp.L.Coll().Status == state.Loaded })
	return tp
}
