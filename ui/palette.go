package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// command is one palette command.
type command struct {
	name  string
	usage string
	help  string
	arg   string // what the argument completes from: "repo", "ctx", "org" or ""
}

// paletteCommands lists the palette's commands, in help order.
func paletteCommands() []command {
	return []command{
		{"repos", "repos", "repositories", ""},
		{"tags", "tags NS/REPO", "tags of a repository", "repo"},
		{"teams", "teams", "teams", ""},
		{"members", "members", "members", ""},
		{"invites", "invites", "pending invites", ""},
		{"tokens", "tokens", "access tokens", ""},
		{"audit", "audit", "audit log", ""},
		{"settings", "settings", "org settings", ""},
		{"org", "org NAME", "switch organization", "org"},
		{"ctx", "ctx NAME", "switch context", "ctx"},
		{"help", "help", "this help", ""},
		{"q", "q", "quit", ""},
	}
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
		for _, c := range paletteCommands() {
			if strings.HasPrefix(c.name, name) {
				out = append(out, c.name)
			}
		}
		return out
	}
	var pool func(yield func(string) bool)
	for _, c := range paletteCommands() {
		if c.name != name {
			continue
		}
		switch c.arg {
		case "repo":
			pool = a.repoNames
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
	if pool != nil && name == "tags" && !strings.Contains(arg, "/") && a.sess.Org != "" {
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
		line = truncate(line, a.w)
	}
	return line
}

// runCommand executes a palette line.
func (a *App) runCommand(line string) tea.Cmd {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	kinds := map[string]state.Kind{"repos": state.Repos, "teams": state.Teams, "members": state.Members,
		"invites": state.Invites, "tokens": state.Tokens, "audit": state.Audit, "settings": state.Settings}
	if k, ok := kinds[name]; ok {
		if arg != "" {
			a.setErr(fmt.Errorf(":%s takes no argument (got %q)", name, sanitize.String(arg)))
			return nil
		}
		return a.switchPane(a.paneIndex(k))
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
	case "tags":
		if arg == "" {
			return a.switchPane(a.paneIndex(state.Tags))
		}
		if !strings.Contains(arg, "/") && a.sess.Org != "" {
			arg = a.sess.Org + "/" + arg // a bare name is in the current org
		}
		if err := checkRepoRef(arg); err != nil {
			a.setErr(err)
			return nil
		}
		return a.openTags(arg)
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

// checkRepoRef validates "namespace/repository".
func checkRepoRef(ref string) error {
	ns, repo, ok := strings.Cut(ref, "/")
	if !ok || ns == "" || repo == "" || strings.Contains(repo, "/") || strings.ContainsAny(ref, " \t") {
		return fmt.Errorf("%q is not a repository: write it as namespace/name, like acme/web", sanitize.String(ref))
	}
	return nil
}
