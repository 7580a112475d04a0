package invites

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/panes/invites/roster"
	"github.com/hubtui/hubtui/ui/sanitize"
)

// The bulk invite flow, one dialog after another:
//
//	paste (or a CSV file) → review (the local check) → the Hub's dry run → send → results
//
// Every step keeps the text in p.draft, so closing any of them loses
// nothing; after a send the draft is what was not sent.

// maxFileSize is the largest CSV file read.
const maxFileSize = 4 << 20

// dryRunTimeout bounds the Hub's dry run of a list.
const dryRunTimeout = 2 * time.Minute

// teamsMsg is the org's team names, for the local check.
type teamsMsg struct {
	gen   uint64
	org   string
	names []string
	err   error
}

// fileMsg is a CSV file read.
type fileMsg struct {
	gen  uint64
	path string
	text string
	err  error
}

// groupAnswer is the Hub's answer for one request of a list.
type groupAnswer struct {
	group   roster.Group
	results []hubclient.BulkInviteResult
	err     error // the request failed; results is empty
}

// dryRunMsg is the Hub's dry run of a checked list.
type dryRunMsg struct {
	gen     uint64
	run     *run
	answers []groupAnswer
}

// run is one checked list on its way to the Hub.
type run struct {
	org  string
	text string
	res  roster.Result
	skip bool // the problem lines are left out (and kept)
}

// rows are the rows to send.
func (r *run) groups() []roster.Group { return roster.Groups(r.res.Rows, hubclient.MaxBulkInvitees) }

const formatHelp = "One Docker ID or e-mail address per line, optionally followed by a role (owner, editor, member) and a team, " +
	"separated by commas, semicolons or tabs; a header line (email,role,team) is optional; # starts a comment. " +
	"Without a role the Hub makes them members."

// startPaste opens the text area on the kept draft, and loads the org's
// teams for the check meanwhile.
func (p *Pane) startPaste(env pane.Env) {
	p.loadTeams(env)
	org := env.Org()
	env.Ask(newPaste("Invite people to "+org, formatHelp, p.draft,
		func(text string) tea.Cmd {
			p.draft = text
			p.review(env, text)
			return nil
		},
		func(text string) { p.draft = text }))
}

// startFile asks for a CSV file's path and reads it in a Cmd.
func (p *Pane) startFile(env pane.Env) {
	p.loadTeams(env)
	p.askPath(env, "")
}

func (p *Pane) askPath(env pane.Env, problem string) {
	body := "The path of a CSV file. " + formatHelp
	if problem != "" {
		body = problem + "\n\n" + body
	}
	env.Ask(dialog.NewPrompt("Invite people from a CSV file", body, p.path, 4096, func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("type the path of the file")
		}
		return nil
	}, func(path string) tea.Cmd {
		p.path = path
		p.flowGen = env.NextGen()
		p.busy = "reading " + path
		return readFile(p.flowGen, path)
	}))
}

// readFile reads a CSV file of invitees, refusing anything but a regular
// file of at most maxFileSize bytes of text.
func readFile(gen uint64, path string) tea.Cmd {
	return func() tea.Msg {
		if strings.HasPrefix(path, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, path[2:])
			}
		}
		f, err := os.Open(path)
		if err != nil {
			return fileMsg{gen: gen, path: path, err: fmt.Errorf("open %s: %w", path, err)}
		}
		defer f.Close()
		st, err := f.Stat()
		switch {
		case err != nil:
			return fileMsg{gen: gen, path: path, err: fmt.Errorf("read %s: %w", path, err)}
		case !st.Mode().IsRegular():
			return fileMsg{gen: gen, path: path, err: fmt.Errorf("%s is not a regular file", path)}
		case st.Size() > maxFileSize:
			return fileMsg{gen: gen, path: path, err: fmt.Errorf("%s has %d bytes; a list of invitees has at most %d", path, st.Size(), maxFileSize)}
		}
		b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
		if err != nil {
			return fileMsg{gen: gen, path: path, err: fmt.Errorf("read %s: %w", path, err)}
		}
		return fileMsg{gen: gen, path: path, text: string(b)}
	}
}

func (p *Pane) onFile(env pane.Env, m fileMsg) tea.Cmd {
	if m.gen != p.flowGen {
		return nil
	}
	p.busy = ""
	if m.err != nil {
		p.askPath(env, m.err.Error())
		return nil
	}
	p.draft = m.text
	p.review(env, m.text)
	return nil
}

// loadTeams lists the org's teams once per org, so the check can tell a
// team that does not exist; the flow goes on without it meanwhile.
func (p *Pane) loadTeams(env pane.Env) {
	org, c := env.Org(), env.Client()
	if c == nil || p.teamsOrg == org {
		return
	}
	p.teamsOrg, p.teams = org, nil
	p.teamsGen = env.NextGen()
	gen := p.teamsGen
	env.Do(func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		teams, err := hubclient.ListAll(hubclient.Background(ctx), c, func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.Team, *hubclient.Response, error) {
			return c.Teams.List(ctx, org, &hubclient.TeamListOptions{ListOptions: o})
		}, nil)
		names := make([]string, 0, len(teams))
		for _, t := range teams {
			names = append(names, t.Name)
		}
		return teamsMsg{gen: gen, org: org, names: names, err: err}
	})
}

func (p *Pane) onTeams(env pane.Env, m teamsMsg) {
	if m.gen != p.teamsGen || m.org != p.teamsOrg {
		return
	}
	p.teamsGen = 0
	if m.err != nil {
		p.teamsOrg = "" // the Hub's dry run checks the teams instead; ask again next time
	} else {
		p.teams = make(map[string]bool, len(m.names))
		for _, n := range m.names {
			p.teams[n] = true
		}
	}
	if p.waiting != nil {
		text := *p.waiting
		p.waiting, p.busy = nil, ""
		if m.org == env.Org() {
			p.review(env, text)
		}
	}
}

// review checks text locally and shows what it holds: the rows ready, the
// repeats merged, and each bad line with its number and reason.
func (p *Pane) review(env pane.Env, text string) {
	if p.teamsGen != 0 && p.teamsOrg == env.Org() {
		p.waiting, p.busy = &text, "loading the teams for the check…"
		return
	}
	var opt roster.Options
	if teams := p.teams; teams != nil && p.teamsOrg == env.Org() {
		opt.Team = func(n string) bool { return teams[n] }
	}
	r := &run{org: env.Org(), text: text, res: roster.Parse(text, opt)}
	p.showReview(env, r)
}

func (p *Pane) showReview(env pane.Env, r *run) {
	res := r.res
	s := &sheet{title: "Invite people to " + r.org + ": check"}
	sum := fmt.Sprintf("%d to invite", len(res.Rows))
	if n := len(res.Merges); n > 0 {
		sum += fmt.Sprintf(" · %d repeated lines merged", n)
	}
	if n := len(res.Problems); n > 0 {
		sum += fmt.Sprintf(" · %d lines cannot be sent as they are", n)
	}
	s.head = append(s.head, line{sum, toneNormal})
	for _, g := range r.groups() {
		s.head = append(s.head, line{"· " + groupWords(g), toneDim})
	}
	switch {
	case len(res.Rows) == 0 && len(res.Problems) == 0:
		s.head = append(s.head, line{"The list is empty: e to type or paste some.", toneWarn})
	case len(res.Problems) > 0 && r.skip:
		s.head = append(s.head, line{fmt.Sprintf("The %d bad lines are skipped: they are not sent, and stay in the list kept for later.", len(res.Problems)), toneWarn})
	case len(res.Problems) > 0:
		s.head = append(s.head, line{"Nothing is sent while lines have problems: e to fix them, or s to skip them.", toneWarn})
	}
	for _, pr := range res.Problems {
		s.body = append(s.body, line{fmt.Sprintf("line %d: %s — %s", pr.Line, strings.TrimSpace(pr.Text), pr.Reason), toneError})
	}
	for _, m := range res.Merges {
		s.body = append(s.body, line{fmt.Sprintf("line %d: %s repeats line %d; merged", m.Line, m.Invitee, m.Into), toneDim})
	}
	for _, row := range res.Rows {
		s.body = append(s.body, line{fmt.Sprintf("line %d: %s%s", row.Line, row.Invitee, roleTeam(row.Role, row.Team)), toneNormal})
	}
	ready := len(res.Rows) > 0 && (len(res.Problems) == 0 || r.skip)
	s.hint = "e edit · esc close (the list is kept)"
	if len(res.Problems) > 0 && len(res.Rows) > 0 {
		s.hint = "s skip bad lines · " + s.hint
		if r.skip {
			s.hint = "s keep bad lines · e edit · esc close"
		}
	}
	if ready {
		s.hint = "enter ask the Hub for a dry run · " + s.hint
	}
	s.keys = map[string]func() (tea.Cmd, bool){
		"e": func() (tea.Cmd, bool) { p.edit(env, r.text); return nil, true },
		"s": func() (tea.Cmd, bool) {
			if len(res.Problems) == 0 || len(res.Rows) == 0 {
				return nil, false
			}
			r.skip = !r.skip
			p.showReview(env, r)
			return nil, true
		},
		"enter": func() (tea.Cmd, bool) {
			if !ready {
				return nil, false
			}
			return p.dryRun(env, r), true
		},
	}
	env.Ask(s)
}

// edit opens the text area on text.
func (p *Pane) edit(env pane.Env, text string) {
	p.draft = text
	p.startPaste(env)
}

// groupWords says what one request asks for: "3 as editor in team dev".
func groupWords(g roster.Group) string {
	role := g.Role
	if role == "" {
		role = hubclient.OrgRoleMember
	}
	s := fmt.Sprintf("%d as %s", len(g.Rows), role)
	if g.Team != "" {
		s += " in team " + g.Team
	}
	return s
}

// roleTeam is " (editor, team dev)" for a row, "" when neither is set.
func roleTeam(role, team string) string {
	var parts []string
	if role != "" {
		parts = append(parts, role)
	}
	if team != "" {
		parts = append(parts, "team "+team)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// dryRun asks the Hub what would happen to each row: one dry run request
// per role and team. Nothing changes on the Hub.
func (p *Pane) dryRun(env pane.Env, r *run) tea.Cmd {
	c := env.Client()
	if c == nil {
		return nil
	}
	p.flowGen = env.NextGen()
	p.busy = "asking the Hub for a dry run…"
	gen, groups := p.flowGen, r.groups()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), dryRunTimeout)
		defer cancel()
		answers := make([]groupAnswer, 0, len(groups))
		for _, g := range groups {
			res, _, err := c.Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: r.org, Role: g.Role, Team: g.Team, Invitees: g.Invitees(), DryRun: true})
			answers = append(answers, groupAnswer{group: g, results: res, err: err})
		}
		return dryRunMsg{gen: gen, run: r, answers: answers}
	}
}

func (p *Pane) onDryRun(env pane.Env, m dryRunMsg) tea.Cmd {
	if m.gen != p.flowGen {
		return nil
	}
	p.busy = ""
	if m.run.org != env.Org() {
		return nil // the org changed meanwhile
	}
	p.showDryRun(env, m.run, m.answers)
	return nil
}

// outcome is one row and what the Hub said of it.
type outcome struct {
	row    roster.Row
	status string // the Hub's word, "" when it said nothing of the row
	err    error  // the request carrying the row failed
}

// outcomes pairs each row with the Hub's answer for it.
func outcomes(answers []groupAnswer) []outcome {
	var out []outcome
	for _, a := range answers {
		by := make(map[string]string, len(a.results))
		for _, res := range a.results {
			by[strings.ToLower(res.Invitee)] = res.Status
		}
		for _, row := range a.group.Rows {
			out = append(out, outcome{row: row, status: by[row.Key()], err: a.err})
		}
	}
	return out
}

// statusWords puts the Hub's status of an invitee in plain words; a word
// it does not know is shown as the Hub sent it.
func statusWords(status string, dry bool) string {
	switch status {
	case hubclient.InviteStatusInvited:
		if dry {
			return "will be invited"
		}
		return "invited"
	case hubclient.InviteStatusExistingMember:
		return "already a member of the organization; not invited"
	case hubclient.InviteStatusAlreadyInvited:
		return "already has a pending invite; not invited again"
	case hubclient.InviteStatusInvalid:
		return "the Hub does not take it as an e-mail address or Docker ID"
	case "":
		return "the Hub said nothing of it"
	}
	return "the Hub says: " + status
}

// showDryRun shows each row's status as the Hub reports it and offers to
// send those it would invite.
func (p *Pane) showDryRun(env pane.Env, r *run, answers []groupAnswer) {
	outs := outcomes(answers)
	s := &sheet{title: "Invite people to " + r.org + ": the Hub's dry run"}
	counts := map[string]int{}
	var send []roster.Row
	var failed error
	for _, o := range outs {
		if o.err != nil {
			failed = o.err
			continue
		}
		counts[o.status]++
		if o.status == hubclient.InviteStatusInvited {
			send = append(send, o.row)
		}
	}
	if failed != nil {
		s.head = append(s.head, refusal(r.org, failed)...)
	}
	var parts []string
	for _, st := range []string{hubclient.InviteStatusInvited, hubclient.InviteStatusAlreadyInvited, hubclient.InviteStatusExistingMember, hubclient.InviteStatusInvalid} {
		if n := counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, shortStatus(st)))
		}
	}
	for st, n := range counts {
		if !slices.Contains([]string{hubclient.InviteStatusInvited, hubclient.InviteStatusAlreadyInvited, hubclient.InviteStatusExistingMember, hubclient.InviteStatusInvalid}, st) {
			parts = append(parts, fmt.Sprintf("%d %s", n, shortStatus(st)))
		}
	}
	if len(parts) > 0 {
		s.head = append(s.head, line{"Nothing has been sent yet. The Hub says: " + strings.Join(parts, ", ") + ".", toneNormal})
	}
	for _, o := range outs {
		tn := toneNormal
		words := statusWords(o.status, true)
		switch {
		case o.err != nil:
			tn, words = toneError, "not checked: "+pane.Describe(o.err)
		case o.status != hubclient.InviteStatusInvited:
			tn = toneWarn
		}
		s.body = append(s.body, line{fmt.Sprintf("%s%s — %s", o.row.Invitee, roleTeam(o.row.Role, o.row.Team), words), tn})
	}
	s.hint = "e edit the list · esc close (the list is kept)"
	if len(send) > 0 && failed == nil {
		s.hint = fmt.Sprintf("enter send %d invites · ", len(send)) + s.hint
	} else if failed == nil {
		s.head = append(s.head, line{"Nobody on the list would be invited: nothing to send.", toneWarn})
	}
	s.keys = map[string]func() (tea.Cmd, bool){
		"e": func() (tea.Cmd, bool) { p.edit(env, r.text); return nil, true },
		"enter": func() (tea.Cmd, bool) {
			if len(send) == 0 || failed != nil {
				return nil, false
			}
			p.send(env, r, send)
			return nil, true
		},
	}
	env.Ask(s)
}

// shortStatus names a status in a count: "3 already members".
func shortStatus(st string) string {
	switch st {
	case hubclient.InviteStatusInvited:
		return "would be invited"
	case hubclient.InviteStatusExistingMember:
		return "already members"
	case hubclient.InviteStatusAlreadyInvited:
		return "already invited"
	case hubclient.InviteStatusInvalid:
		return "not taken as an e-mail address or Docker ID"
	case "":
		return "not answered"
	}
	return "answered " + strconvQuote(st)
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", sanitize.String(s)) }

// refusal explains a failed bulk invite request in plain words: a seat
// limit (409) says what takes a seat and what to do.
func refusal(org string, err error) []line {
	var ae *hubclient.APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusConflict {
		return []line{
			{"Not enough seats in " + org + ".", toneError},
			{"Every member and every pending invite takes one of the organization's seats, and this list needs more seats than are free. " +
				"The Hub says: " + pane.Describe(err), toneNormal},
			{"To go on: cancel pending invites nobody needs (D on this list), remove members who have left, add seats to the subscription, " +
				"or send fewer people (e edits the list).", toneNormal},
		}
	}
	return []line{{"The Hub refused the request: " + pane.Describe(err), toneError}}
}

// send invites rows (those the dry run said it would invite) and shows
// each invitee's result; what was not sent becomes the kept list.
func (p *Pane) send(env pane.Env, r *run, rows []roster.Row) {
	groups := roster.Groups(rows, hubclient.MaxBulkInvitees)
	var answers []groupAnswer
	org := r.org
	what := fmt.Sprintf("inviting %d people to %s", len(rows), org)
	env.Mutate(pane.Change{What: what, Done: fmt.Sprintf("sent %d invites to %s", len(rows), org),
		Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
			var errs []error
			for i, g := range groups {
				if len(errs) > 0 {
					// After a refusal the rest waits for the user: nothing more is sent.
					answers = append(answers, groupAnswer{group: g, err: errNotSent})
					continue
				}
				res, _, err := c.Invites.Bulk(ctx, hubclient.BulkInviteRequest{Org: org, Role: g.Role, Team: g.Team, Invitees: g.Invitees()})
				answers = append(answers, groupAnswer{group: g, results: res, err: err})
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", groupWords(g), err))
					if i == 0 {
						return nil, err
					}
				}
			}
			apply := func() tea.Cmd { return p.sent(env, r, answers) }
			if len(errs) > 0 {
				return apply, pane.Partial{Total: len(groups), Errs: errs}
			}
			return apply, nil
		},
		Failed: func(err error) tea.Cmd {
			s := &sheet{title: "Invite people to " + org + ": not sent", head: refusal(org, err), hint: "e edit the list · esc close (the list is kept)"}
			s.head = append(s.head, line{"Nothing was sent; the list is kept as it was.", toneNormal})
			s.keys = map[string]func() (tea.Cmd, bool){"e": func() (tea.Cmd, bool) { p.edit(env, r.text); return nil, true }}
			env.Ask(s)
			return nil
		}})
}

// errNotSent marks the rows of a request left unsent after an earlier one failed.
var errNotSent = errors.New("not sent: an earlier request of the list was refused")

// sent shows the results, keeps what was not sent, and reloads the list.
func (p *Pane) sent(env pane.Env, r *run, answers []groupAnswer) tea.Cmd {
	outs := outcomes(answers)
	sentKeys := map[string]bool{}
	var unsent []roster.Row
	invited := 0
	var refused error
	for _, o := range outs {
		if o.err == nil && o.status == hubclient.InviteStatusInvited {
			sentKeys[o.row.Key()] = true
			invited++
		}
		if o.err != nil && !errors.Is(o.err, errNotSent) && refused == nil {
			refused = o.err
		}
	}
	for _, row := range r.res.Rows {
		if !sentKeys[row.Key()] {
			unsent = append(unsent, row)
		}
	}
	var kept []roster.Problem
	if r.skip {
		kept = r.res.Problems
	}
	p.draft = roster.Text(kept, unsent)
	s := &sheet{title: "Invite people to " + r.org + ": results"}
	s.head = append(s.head, line{fmt.Sprintf("Invited %d of %d.", invited, len(r.res.Rows)), toneOK})
	if refused != nil {
		s.head = append(s.head, refusal(r.org, refused)...)
	}
	if n := len(unsent) + len(kept); n > 0 {
		s.head = append(s.head, line{fmt.Sprintf("%d lines were not sent; they are kept: %s opens them again.", n, env.Key(pane.ActNew)), toneWarn})
	}
	for _, o := range outs {
		switch {
		case o.err != nil:
			s.body = append(s.body, line{"✗ " + o.row.Invitee + " — " + pane.Describe(o.err), toneError})
		case o.status == hubclient.InviteStatusInvited:
			s.body = append(s.body, line{"✓ " + o.row.Invitee + roleTeam(o.row.Role, o.row.Team) + " — invited", toneOK})
		default:
			s.body = append(s.body, line{"· " + o.row.Invitee + " — " + statusWords(o.status, false), toneWarn})
		}
	}
	for _, row := range r.res.Rows {
		if !slices.ContainsFunc(outs, func(o outcome) bool { return o.row.Key() == row.Key() }) {
			s.body = append(s.body, line{"· " + row.Invitee + " — not sent: the dry run said it would not be invited", toneDim})
		}
	}
	for _, pr := range kept {
		s.body = append(s.body, line{fmt.Sprintf("· line %d skipped: %s", pr.Line, pr.Reason), toneDim})
	}
	s.hint = "enter/esc close"
	s.keys = map[string]func() (tea.Cmd, bool){"enter": func() (tea.Cmd, bool) { return nil, true }}
	if p.draft != "" {
		s.hint = "e edit what was not sent · " + s.hint
		s.keys["e"] = func() (tea.Cmd, bool) { p.startPaste(env); return nil, true }
	}
	env.Ask(s)
	return p.L.Load(env)
}
