package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// command is one palette command.
type command struct {
	name  string
	usage string
	help  string
	arg   string // what the argument completes from: "repo", "ctx", "org" or ""
}

// commands lists the palette's commands, in help order: one per pane of
// the registry, then the frame's own.
func (a *App) commands() []command {
	var out []command
	for _, t := range a.tabs {
		e := t.entry
		out = append(out, command{name: e.Command, usage: e.Usage, help: e.Help, arg: e.Arg})
	}
	return append(out,
		command{"org", "org NAME", "switch organization", "org"},
		command{"ctx", "ctx NAME", "switch context", "ctx"},
		command{"help", "help", "this help", ""},
		command{"q", "q", "quit", ""},
	)
}

// palette is the `:` command line: completion and history.
type palette struct {
	input   textinput.Model
	hist    []string
	histPos int
	matches []string
	maxHist int
	cycle   int    // position when tab cycles through candidates
	stem    string // what was typed before tab started cycling; "" when not cycling
}

func newPalette() palette {
	in := textinput.New()
	in.Prompt = ":"
	in.Placeholder = "command (tab completes)"
	return palette{input: in, maxHist: 100}
}

// open clears the line for a new command.
func (p *palette) open(a *App) {
	p.input.SetValue("")
	p.histPos = len(p.hist)
	p.stem = ""
	p.refresh(a)
}

// remember adds line to the history.
func (p *palette) remember(line string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	p.hist = slices.DeleteFunc(p.hist, func(h string) bool { return h == line })
	p.hist = append(p.hist, line)
	if len(p.hist) > p.maxHist {
		p.hist = p.hist[len(p.hist)-p.maxHist:]
	}
	p.histPos = len(p.hist)
}

// history moves through earlier commands.
func (p *palette) history(d int) {
	if len(p.hist) == 0 {
		return
	}
	p.histPos = max(0, min(len(p.hist), p.histPos+d))
	if p.histPos == len(p.hist) {
		p.input.SetValue("")
	} else {
		p.input.SetValue(p.hist[p.histPos])
	}
	p.input.CursorEnd()
	p.stem = ""
}

// candidates lists completions of the current line.
func (p *palette) candidates(a *App) []string { return candidatesFor(a, p.input.Value()) }

// candidatesFor lists completions of line.
func candidatesFor(a *App, line string) []string {
	name, arg, hasArg := strings.Cut(line, " ")
	var out []string
	if !hasArg {
		for _, c := range a.commands() {
			if strings.HasPrefix(c.name, name) {
				out = append(out, c.name)
			}
		}
		return out
	}
	var pool func(yield func(string) bool)
	for _, c := range a.commands() {
		if c.name != name {
			continue
		}
		switch c.arg {
		case "repo":
			pool = a.completions("repo")
		case "ctx":
			pool = slices.Values(a.opts.Contexts)
		case "org":
			pool = slices.Values(a.orgNames())
		}
	}
	if pool == nil {
		return nil
	}
	// A bare repository name means one of the current org ("tags au" → "tags auth").
	bare := ""
	if pool != nil && arg != "" && !strings.Contains(arg, "/") && a.sess.Org != "" && slices.ContainsFunc(a.commands(), func(c command) bool { return c.name == name && c.arg == "repo" }) {
		bare = a.sess.Org + "/"
	}
	for v := range pool {
		switch {
		case strings.HasPrefix(v, arg):
			out = append(out, name+" "+sanitize.String(v)) // names from the server go into the input
		case bare != "" && strings.HasPrefix(v, bare+arg):
			out = append(out, name+" "+sanitize.String(strings.TrimPrefix(v, bare)))
		default:
			continue
		}
		if len(out) == maxCandidates {
			break
		}
	}
	return out
}

// maxCandidates bounds the completions computed per keystroke.
const maxCandidates = 50

// refresh recomputes the completions shown under the line after typing
// (which also ends tab cycling).
func (p *palette) refresh(a *App) {
	p.stem = ""
	p.matches = p.candidates(a)
}

// completeLine extends the line to the longest common prefix of the candidates.
func (p *palette) completeLine(a *App) {
	if p.stem == "" {
		p.stem, p.cycle = p.input.Value(), -1
	}
	c := candidatesFor(a, p.stem)
	if len(c) == 0 {
		return
	}
	prefix := c[0]
	for _, s := range c[1:] {
		for !strings.HasPrefix(s, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(c) == 1 && !strings.Contains(prefix, " ") {
		prefix += " "
	}
	switch {
	case len(prefix) > len(p.stem):
		p.input.SetValue(prefix)
		p.stem = ""
	case len(c) > 1:
		// Nothing more in common: tab cycles through the candidates.
		p.cycle = (p.cycle + 1) % len(c)
		p.input.SetValue(c[p.cycle])
		p.input.CursorEnd()
		return
	}
	p.input.CursorEnd()
	p.matches = p.candidates(a)
}

func (p *palette) view(a *App) string {
	p.input.SetWidth(max(10, a.w/2))
	line := p.input.View()
	if len(p.matches) > 0 && p.input.Value() != "" {
		hint := strings.Join(p.matches[:min(6, len(p.matches))], "  ")
		line += "  " + a.theme.Dim.Render(sanitize.String(hint))
	}
	if lipgloss.Width(line) > a.w {
		line = text.Truncate(line, a.w)
	}
	return line
}

// completions yields the names the panes offer for what ("repo"); the
// caller stops early once it has enough.
func (a *App) completions(what string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for _, t := range a.tabs {
			if c, ok := t.stack[0].p.(pane.Completer); ok {
				stop := false
				c.Complete(what, func(s string) bool {
					if !yield(s) {
						stop = true
						return false
					}
					return true
				})
				if stop {
					return
				}
			}
		}
	}
}

// orgNames are organizations to complete `:org` with.
func (a *App) orgNames() []string {
	if len(a.orgs) > 0 {
		return a.orgs
	}
	if a.sess.Org == "" {
		return nil
	}
	return []string{a.sess.Org}
}

// runCommand executes a palette line.
func (a *App) runCommand(line string) tea.Cmd {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	for _, t := range a.tabs {
		e := t.entry
		if e.Command != name {
			continue
		}
		if e.Arg == "" && arg != "" {
			a.setErr(fmt.Errorf(":%s takes no argument (got %q)", name, sanitize.String(arg)))
			return nil
		}
		return a.open(e.Kind, arg)
	}
	switch name {
	case "":
		return nil
	case "q", "quit":
		return a.quit()
	case "help":
		if arg != "" {
			a.setErr(fmt.Errorf(":help takes no argument (got %q)", sanitize.String(arg)))
			return nil
		}
		a.mode, a.helpScroll = modeHelp, 0
		return nil
	case "org":
		if arg == "" {
			a.setErr(fmt.Errorf(":org needs an organization name"))
			return nil
		}
		return a.switchOrg(arg)
	case "ctx":
		if len(a.opts.Contexts) == 0 {
			a.setErr(fmt.Errorf(":ctx: no contexts are configured; run `hubtui config init` and add one under contexts:"))
			return nil
		}
		if arg == "" {
			a.setErr(fmt.Errorf(":ctx needs a context name (known: %s)", strings.Join(a.opts.Contexts, ", ")))
			return nil
		}
		return a.switchContext(arg)
	}
	a.setErr(fmt.Errorf("unknown command %q: try :help", sanitize.String(name)))
	return nil
}
