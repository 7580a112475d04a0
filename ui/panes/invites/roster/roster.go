// Package roster reads a list of people to invite, pasted or loaded from a
// CSV file, and checks it before anything is sent: one Docker ID or e-mail
// address per line, optionally followed by a role and a team, with an
// optional header line naming the columns. It knows nothing of the screen.
package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hubtui/hubtui/hubclient"
)

// MaxLineLength is the longest line read; longer ones are refused (an
// e-mail address has at most 254 characters).
const MaxLineLength = 1024

// Row is one person to invite.
type Row struct {
	// Line is the 1-based line the row was read from.
	Line int
	// Invitee is the Docker ID (lowercased) or e-mail address, as given.
	Invitee string
	// Role is "owner", "editor", "member" or "" (the Hub's default, member).
	Role string
	// Team is the team to join, "" for none.
	Team string
	// Merged lists the later lines that repeated this row and were merged into it.
	Merged []int
}

// Key is what makes two rows the same person: the invitee, ignoring case.
func (r Row) Key() string { return strings.ToLower(r.Invitee) }

// Problem is a line that cannot be sent as it is.
type Problem struct {
	Line   int
	Text   string // the line as typed
	Reason string
}

// Merge is a line that repeated an earlier one and was merged into it.
type Merge struct {
	Line, Into int
	Invitee    string
}

// Result is what a text holds.
type Result struct {
	Rows     []Row
	Problems []Problem
	Merges   []Merge
	// Header is the line number of the header line, 0 when there is none.
	Header int
	// lines are the text's lines, for Unsent.
	lines []string
}

// Options tune the checks.
type Options struct {
	// Team, when set, says whether a team exists in the organization; a
	// row naming another team is a problem.
	Team func(name string) bool
}

// Column names a header may use.
var (
	inviteeNames = []string{"invitee", "email", "e-mail", "mail", "docker id", "docker_id", "dockerid", "username", "user", "id", "login"}
	roleNames    = []string{"role", "org role", "org_role"}
	teamNames    = []string{"team", "group"}
)

// Parse reads text. Blank lines and lines starting with # are skipped.
// Columns are separated by commas, semicolons or tabs (whichever each
// line uses). A repeat of an earlier invitee (ignoring case) with the same
// role and team, or with neither, is merged into it; a repeat asking for a
// different role or team is a problem, so nothing is guessed.
func Parse(text string, opt Options) Result {
	text = strings.TrimPrefix(text, "\ufeff")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	res := Result{lines: lines}
	cols := []int{0, 1, 2} // invitee, role, team
	width := 3
	first := true
	seen := map[string]int{} // key → index in res.Rows
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		delim := delimiter(line)
		bad := func(reason string) { res.Problems = append(res.Problems, Problem{Line: n, Text: raw, Reason: reason}) }
		if len(raw) > MaxLineLength {
			bad(fmt.Sprintf("the line has %d characters; at most %d are read", len(raw), MaxLineLength))
			first = false
			continue
		}
		if !utf8.ValidString(raw) {
			bad("the line is not valid UTF-8 text")
			first = false
			continue
		}
		fields, err := split(line, delim)
		if err != nil {
			bad("cannot read the line: " + err.Error())
			first = false
			continue
		}
		if first {
			first = false
			if c, w, ok := header(fields); ok {
				cols, width, res.Header = c, w, n
				continue
			}
		}
		if len(fields) > width {
			if width == 3 {
				bad(fmt.Sprintf("%d columns; a line has at most three: invitee, role, team", len(fields)))
			} else {
				bad(fmt.Sprintf("%d columns; the header names %d", len(fields), width))
			}
			continue
		}
		get := func(c int) string {
			if c < 0 || c >= len(fields) {
				return ""
			}
			return strings.TrimSpace(fields[c])
		}
		row := Row{Line: n, Invitee: get(cols[0]), Role: strings.ToLower(get(cols[1])), Team: get(cols[2])}
		if why := check(&row, opt); why != "" {
			bad(why)
			continue
		}
		if j, ok := seen[row.Key()]; ok {
			prev := &res.Rows[j]
			switch {
			case row.Role != prev.Role && row.Role != "" && prev.Role != "":
				bad(fmt.Sprintf("%s is on line %d already, as %s; this line asks for %s", row.Invitee, prev.Line, prev.Role, row.Role))
			case row.Team != prev.Team && row.Team != "" && prev.Team != "":
				bad(fmt.Sprintf("%s is on line %d already, in team %s; this line asks for team %s", row.Invitee, prev.Line, prev.Team, row.Team))
			default:
				if prev.Role == "" {
					prev.Role = row.Role
				}
				if prev.Team == "" {
					prev.Team = row.Team
				}
				prev.Merged = append(prev.Merged, n)
				res.Merges = append(res.Merges, Merge{Line: n, Into: prev.Line, Invitee: row.Invitee})
			}
			continue
		}
		seen[row.Key()] = len(res.Rows)
		res.Rows = append(res.Rows, row)
	}
	return res
}

// delimiter is the column separator line uses: a tab, else a semicolon
// when there is no comma, else a comma.
func delimiter(line string) rune {
	switch {
	case strings.ContainsRune(line, '\t'):
		return '\t'
	case strings.ContainsRune(line, ';') && !strings.ContainsRune(line, ','):
		return ';'
	}
	return ','
}

// split reads one CSV record (quotes allowed) from line.
func split(line string, delim rune) ([]string, error) {
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rec, err := r.Read()
	if err != nil {
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			return nil, pe.Err
		}
		return nil, err
	}
	if _, err := r.Read(); err != io.EOF {
		return nil, fmt.Errorf("a quoted field runs past the end of the line")
	}
	return rec, nil
}

// header reads fields as a header line: which column holds the invitee,
// the role and the team (-1: none), and how many columns there are. It is
// one when its first column names the invitee column.
func header(fields []string) (cols []int, width int, ok bool) {
	name := func(i int) string { return strings.ToLower(strings.TrimSpace(fields[i])) }
	if len(fields) == 0 || !slices.Contains(inviteeNames, name(0)) {
		return nil, 0, false
	}
	cols = []int{0, -1, -1}
	for i := 1; i < len(fields); i++ {
		switch {
		case slices.Contains(roleNames, name(i)) && cols[1] < 0:
			cols[1] = i
		case slices.Contains(teamNames, name(i)) && cols[2] < 0:
			cols[2] = i
		}
	}
	return cols, len(fields), true
}

// check normalises row and says what is wrong with it, "" when nothing.
func check(row *Row, opt Options) string {
	v := row.Invitee
	if v == "" {
		return "no invitee: the first column is empty"
	}
	if !strings.Contains(v, "@") {
		row.Invitee = strings.ToLower(v) // Docker IDs are lower case
	}
	if err := hubclient.ValidateInvitee(row.Invitee); err != nil {
		if strings.Contains(v, "@") {
			return fmt.Sprintf("%q is not a valid e-mail address", v)
		}
		return fmt.Sprintf("%q is neither an e-mail address nor a Docker ID (2 to 30 lowercase letters and digits)", v)
	}
	switch row.Role {
	case "", hubclient.OrgRoleOwner, hubclient.OrgRoleEditor, hubclient.OrgRoleMember:
	default:
		return fmt.Sprintf("role %q is not one of owner, editor, member", row.Role)
	}
	if row.Team != "" {
		if strings.ContainsAny(row.Team, " /\\") || len(row.Team) > 100 {
			return fmt.Sprintf("team %q is not a team name", row.Team)
		}
		if opt.Team != nil && !opt.Team(row.Team) {
			return fmt.Sprintf("there is no team %q in the organization", row.Team)
		}
	}
	return ""
}

// Ready reports whether everything can be sent: there are rows and no problems.
func (r Result) Ready() bool { return len(r.Rows) > 0 && len(r.Problems) == 0 }

// Group is the rows one bulk invite request carries: the Hub takes one
// role and one team per request.
type Group struct {
	Role, Team string
	Rows       []Row
}

// Invitees are the group's invitees, in order.
func (g Group) Invitees() []string {
	out := make([]string, len(g.Rows))
	for i, r := range g.Rows {
		out[i] = r.Invitee
	}
	return out
}

// Groups splits rows into requests by role and team, in the order each
// pair first appears, none longer than max (hubclient.MaxBulkInvitees).
func Groups(rows []Row, max int) []Group {
	var out []Group
	at := map[[2]string][]int{} // role, team → indexes into out
	for _, r := range rows {
		k := [2]string{r.Role, r.Team}
		idx := at[k]
		if len(idx) == 0 || len(out[idx[len(idx)-1]].Rows) >= max {
			out = append(out, Group{Role: r.Role, Team: r.Team})
			idx = append(idx, len(out)-1)
			at[k] = idx
		}
		g := &out[idx[len(idx)-1]]
		g.Rows = append(g.Rows, r)
	}
	return out
}

// Line is line n (1-based) of the text, as Parse numbered it.
func (r Result) Line(n int) string {
	if n < 1 || n > len(r.lines) {
		return ""
	}
	return r.lines[n-1]
}

// Text writes rows back as lines Parse reads again (invitee, role, team),
// after the problem lines as they were typed, so a list cut down to what
// was not sent loses nothing.
func Text(problems []Problem, rows []Row) string {
	var b strings.Builder
	for _, p := range problems {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	for _, r := range rows {
		b.WriteString(Format(r))
		b.WriteByte('\n')
	}
	return b.String()
}

// Format is one row as a line: the invitee, then the role and team when set.
func Format(r Row) string {
	fields := []string{r.Invitee}
	if r.Role != "" || r.Team != "" {
		fields = append(fields, r.Role)
	}
	if r.Team != "" {
		fields = append(fields, r.Team)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(fields)
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}
