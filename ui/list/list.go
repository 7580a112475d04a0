// Package list is the reusable streaming list a pane embeds: columns and
// cells, pages streaming in through the client's budget, a filter and sort
// derived off the Update path, marks, a windowed table, cancellation when the
// pane is left, and collections that outlive the visit (kept in the session's
// cache). It brings its own bindings (mark, sort, refresh, esc to clear).
package list

import (
	"context"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// Spec describes a list of T: its columns, how to read a row, and how to
// fetch a page of it.
type Spec[T any] struct {
	Kind    state.Kind
	Noun    string // "repositories"
	Columns []table.Column
	Cell    func(v T, col int) string
	Schema  state.Schema[T] // Name: the filtered and copied name; Compare: column sort
	ID      func(v T) string
	Fetch   func(c *hubclient.Client, scope string) hubclient.PageFunc[T]
	// DescFirst lists the columns whose first sort is descending (counts,
	// sizes, times: the biggest and newest first).
	DescFirst []int
}

// List is the shared machinery of a list pane.
type List[T any] struct {
	spec   Spec[T]
	scope  string
	coll   *state.Collection[T]
	rows   state.Rows // the derivation on screen; unused while server is true
	shown  []T        // the snapshot rows indexes into
	server bool       // the server order of coll.Items is on screen (no filter, no sort)
	want   state.Spec
	dgen   uint64 // generation of the newest derivation asked for
	dbusy  bool   // a derivation is running
	dirty  bool   // items changed while it ran
	follow string // id of the item the cursor stays on once the new order lands
	again  bool   // a reload was asked for while a load ran: it follows that load
	owed   bool   // a reload was asked for and the pane was left before it ended: the next Ensure makes it
	// aside is a reload running in the background: its pages go here, and
	// take the place of the rows on screen once it is done.
	aside  *state.Collection[T]
	tbl    *table.Table
	cancel context.CancelFunc
	// markRule is the filter rule that chose the marks when mark-all marked
	// every visible row ("" when marks were made by hand); bulk
	// confirmations show it.
	markRule string
}

// New is a list of spec pointed at nothing yet.
func New[T any](spec Spec[T]) *List[T] {
	l := &List[T]{spec: spec, want: state.Spec{SortCol: -1}, tbl: table.New(spec.Columns)}
	l.coll = state.NewCollection[T](state.Key{Kind: spec.Kind})
	l.clean()
	return l
}

// Open points the list at scope (an org, a repository). A collection this
// session already holds for it comes back as it was left — rows, age, a load
// stopped part way — and the filter, sort and marks start clean: they belong
// to the list they were set on.
func (l *List[T]) Open(env pane.Env, scope string) {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.aside = nil
	l.coll.Cancel()
	l.scope = scope
	key := state.Key{Kind: l.spec.Kind, Scope: scope}
	cache := env.Cache()
	if c, ok := cache.Get(key); ok {
		if coll, ok := c.(*state.Collection[T]); ok {
			l.coll = coll
		}
	}
	if l.coll.Key != key {
		l.coll = state.NewCollection[T](key)
		if scope != "" {
			cache.Put(key, l.coll)
		}
	}
	l.clean()
}

// Reset forgets what the list held for its scope and points it at scope
// with no rows.
func (l *List[T]) Reset(env pane.Env, scope string) {
	l.Leave()
	l.scope = scope
	key := state.Key{Kind: l.spec.Kind, Scope: scope}
	l.coll = state.NewCollection[T](key)
	if scope != "" {
		env.Cache().Put(key, l.coll)
	}
	l.clean()
}

func (l *List[T]) clean() {
	l.want = state.Spec{SortCol: -1}
	l.markRule = ""
	l.rows, l.shown, l.server = state.Rows{}, nil, true
	l.dbusy, l.dirty, l.follow, l.again, l.owed = false, false, "", false, false
	l.tbl.ClearMarks()
	l.tbl.SetCursor(0)
	l.bind()
}

// Scope is what the list lists ("acme", "acme/web"); "" before Open.
func (l *List[T]) Scope() string { return l.scope }

// Coll is the collection on screen.
func (l *List[T]) Coll() *state.Collection[T] { return l.coll }

// Table is the table drawing it.
func (l *List[T]) Table() *table.Table { return l.tbl }

// Busy reports whether a load is running (in the background too).
func (l *List[T]) Busy() bool { return l.coll.Status == state.Loading || l.aside != nil }

// Filtering reports whether a filter or sort is being computed.
func (l *List[T]) Filtering() bool { return l.dbusy }

// Query is the filter.
func (l *List[T]) Query() string { return l.want.Query }

// Sort is the sort column (-1: server order) and direction.
func (l *List[T]) Sort() (col int, desc bool) { return l.want.SortCol, l.want.Desc }

// MarkRule is the filter rule that chose the marks ("" when marked by hand).
func (l *List[T]) MarkRule() string {
	if l.tbl.MarkedCount() == 0 {
		return ""
	}
	return l.markRule
}

// Marked is the ids of the marked rows.
func (l *List[T]) Marked() []string { return l.tbl.MarkedIDs() }

// ClearMarks unmarks every row.
func (l *List[T]) ClearMarks() {
	l.tbl.ClearMarks()
	l.markRule = ""
}

// identity reports whether the visible order is the server order.
func (l *List[T]) identity() bool { return l.want.Query == "" && l.want.SortCol < 0 }

// items is what the rows on screen index: the collection in server order,
// or the snapshot the derivation on screen was computed from. Until a new
// derivation lands, the previous one stays on screen, consistent with itself.
func (l *List[T]) items() []T {
	if l.server {
		return l.coll.Items
	}
	return l.shown
}

// Visible is the number of rows shown.
func (l *List[T]) Visible() int {
	if l.server {
		return len(l.coll.Items)
	}
	return len(l.rows.Indices)
}

// index maps a visible row to an index into items().
func (l *List[T]) index(row int) int {
	if l.server {
		return row
	}
	return l.rows.Indices[row]
}

// Row is the item drawn at visible row i.
func (l *List[T]) Row(i int) (T, bool) {
	var zero T
	if i < 0 || i >= l.Visible() {
		return zero, false
	}
	return l.items()[l.index(i)], true
}

// Highlights are the matched positions of the filter in row i's name.
func (l *List[T]) Highlights(i int) []int {
	if l.server || l.rows.Highlights == nil || i < 0 || i >= l.Visible() {
		return nil
	}
	return l.rows.Highlights[l.index(i)]
}

// Selected is the item under the cursor: the one drawn there.
func (l *List[T]) Selected() (T, bool) { return l.Row(l.tbl.Cursor()) }

// bind gives the table its row source for the current order.
func (l *List[T]) bind() {
	items := l.items()
	if l.server {
		l.tbl.SetSource(len(items), func(row, col int) string { return l.spec.Cell(items[row], col) })
		l.tbl.SetID(func(row int) string { return l.spec.ID(items[row]) })
		l.tbl.SetHighlight(nil)
	} else {
		idx, hl := l.rows.Indices, l.rows.Highlights
		l.tbl.SetSource(len(idx), func(row, col int) string { return l.spec.Cell(items[idx[row]], col) })
		l.tbl.SetID(func(row int) string { return l.spec.ID(items[idx[row]]) })
		l.tbl.SetHighlight(func(row, col int) []int {
			if col != 0 || hl == nil {
				return nil
			}
			return hl[idx[row]]
		})
	}
	l.tbl.SetSort(l.want.SortCol, l.want.Desc)
}

// KeepCursor makes the cursor stay on the item under it (not on its row
// number) once the next order lands: after a sort, or a change to the items.
func (l *List[T]) KeepCursor() {
	if v, ok := l.Selected(); ok {
		l.follow = l.spec.ID(v)
	}
}

// seek moves the cursor to the item kept by KeepCursor, when it is still shown.
func (l *List[T]) seek() {
	if l.follow == "" {
		return
	}
	id := l.follow
	l.follow = ""
	items := l.items()
	for row, n := 0, l.Visible(); row < n; row++ {
		if l.spec.ID(items[l.index(row)]) == id {
			l.tbl.SetCursor(row)
			return
		}
	}
	if l.coll.Status == state.Loading {
		l.follow = id // it may be on a page still to come
	}
}

// Reload loads the list again in the background: the rows on screen stay
// as they are until the whole new list is in, then change at once with
// the cursor on the item it is on. A reload asked for while a load runs
// waits for it to end, so a list longer than the pause between reloads
// still finishes. A list not loaded yet just loads.
func (l *List[T]) Reload(env pane.Env) tea.Cmd {
	if l.Busy() {
		l.again = true
		return nil
	}
	l.again = false
	c := env.Client()
	if l.coll.Status != state.Loaded || c == nil || l.scope == "" {
		l.KeepCursor()
		return l.Load(env)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.aside = state.NewCollection[T](l.coll.Key)
	gen := l.aside.Begin(max(env.NextGen(), l.coll.Gen))
	return stream(ctx, c, l.coll.Key, gen, l.spec.Fetch(c, l.scope))
}

// onAside takes a page or the end of the background reload.
func (l *List[T]) onAside(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case pageMsg[T]:
		l.aside.AddPage(m.gen, m.page, m.items, m.total)
	case doneMsg:
		aside := l.aside
		l.aside, l.cancel = nil, nil
		if !aside.Finish(m.gen, m.err, env.Now()) {
			return nil
		}
		if m.err != nil {
			env.Fail(LoadOwner(l.coll.Key), fmt.Errorf("load %s again: %w", l.spec.Noun, m.err))
			return nil // the rows held stay
		}
		env.Clear(LoadOwner(l.coll.Key))
		l.KeepCursor()
		l.coll.Adopt(aside)
		env.Cache().Trim(l.coll.Key)
		cmd := l.ItemsChanged()
		if l.again {
			return tea.Batch(cmd, l.Reload(env))
		}
		return cmd
	}
	return nil
}

// Load starts (or restarts) streaming the list; its results carry a new generation.
func (l *List[T]) Load(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || l.scope == "" {
		return nil
	}
	if l.cancel != nil {
		l.cancel()
	}
	l.aside = nil
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	fetch := resume(l.coll, l.spec.Fetch(c, l.scope))
	gen := l.coll.Begin(env.NextGen())
	return stream(ctx, c, l.coll.Key, gen, fetch)
}

// resume serves the pages a stopped load already holds from memory, so a
// list left part way through goes on from where it stopped: coming back to
// a 100,000-tag list does not spend the rate budget on it again.
func resume[T any](coll *state.Collection[T], fetch hubclient.PageFunc[T]) hubclient.PageFunc[T] {
	held, size := coll.Held()
	if held == 0 {
		return fetch
	}
	items, total := coll.Snapshot(), coll.Total
	return func(ctx context.Context, o hubclient.ListOptions) ([]T, *hubclient.Response, error) {
		if o.Page < 1 || o.Page > held || (o.PageSize != 0 && o.PageSize != size) {
			return fetch(ctx, o)
		}
		from := (o.Page - 1) * size
		page := items[from:min(from+size, len(items))]
		next := ""
		if from+size < total {
			next = "held" // more pages follow; ListAll asks for them by number
		}
		return page, &hubclient.Response{Count: total, Next: next}, nil
	}
}

// Leave cancels the running load; what it loaded stays for the next visit.
func (l *List[T]) Leave() {
	l.owed = l.owed || l.again || l.aside != nil
	l.again, l.aside = false, nil
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.coll.Cancel()
}

// Ensure loads the list when it has never loaded, was left mid-load, or
// failed with nothing to show, and makes the reload that was owed when the
// pane was left before one ended.
func (l *List[T]) Ensure(env pane.Env) tea.Cmd {
	if l.scope == "" {
		return nil
	}
	owed := l.owed
	l.owed = false
	if l.coll.Status == state.Idle || l.coll.Status == state.Failed && len(l.coll.Items) == 0 {
		l.again = owed // a resumed load keeps the pages held: read them afresh after it
		return l.Load(env)
	}
	if owed {
		return l.Reload(env)
	}
	return nil
}

// LoadOwner is the owner of the error a failed load of key shows; the next
// good load of the same list clears it.
func LoadOwner(key state.Key) string { return "load " + key.String() }

// MarksOwner is the owner of an error about the marks of the list with key;
// clearing the marks clears it.
func MarksOwner(key state.Key) string { return "marks " + key.String() }

// Update applies pages, the end of a load and derivations addressed to this
// list; it reports whether msg was one of them.
func (l *List[T]) Update(env pane.Env, msg tea.Msg) (tea.Cmd, bool) {
	switch m := msg.(type) {
	case StreamMsg:
		cmd, ok := l.Update(env, m.Msg)
		if !ok {
			return nil, false
		}
		return tea.Batch(cmd, m.Next), true
	case pageMsg[T]:
		if l.aside != nil && m.key == l.coll.Key && m.gen == l.aside.Gen {
			return l.onAside(env, m), true
		}
		if m.key != l.coll.Key || !l.coll.AddPage(m.gen, m.page, m.items, m.total) {
			return nil, m.key == l.coll.Key
		}
		return l.ItemsChanged(), true
	case doneMsg:
		if m.key != l.coll.Key {
			return nil, false
		}
		if l.aside != nil && m.gen == l.aside.Gen {
			return l.onAside(env, m), true
		}
		if !l.coll.Finish(m.gen, m.err, env.Now()) {
			return nil, true
		}
		if m.err != nil {
			env.Fail(LoadOwner(l.coll.Key), fmt.Errorf("load %s: %w", l.spec.Noun, m.err))
		} else {
			env.Clear(LoadOwner(l.coll.Key))
			env.Cache().Trim(l.coll.Key)
		}
		cmd := l.ItemsChanged()
		if l.again {
			return tea.Batch(cmd, l.Reload(env)), true
		}
		return cmd, true
	case derivedMsg[T]:
		if m.coll != l.coll {
			return nil, m.coll.Key == l.coll.Key
		}
		if m.gen != l.dgen {
			return nil, true
		}
		l.rows, l.shown, l.server = m.rows, m.items, false
		if m.next != nil {
			l.bind()
			return m.next, true
		}
		l.dbusy = false
		l.bind()
		if l.dirty {
			l.dirty = false
			return l.rederive(), true
		}
		l.seek()
		return nil, true
	}
	return nil, false
}

// ItemsChanged rebinds after new rows; with a filter or sort on it asks for
// a new derivation (or marks one due when one is running).
func (l *List[T]) ItemsChanged() tea.Cmd {
	if l.server && l.identity() {
		l.bind()
		l.seek()
		return nil
	}
	if l.dbusy {
		l.dirty = true
		return nil
	}
	return l.rederive()
}

// rederive starts a derivation of the current items with the wanted spec.
func (l *List[T]) rederive() tea.Cmd {
	l.dgen++
	if l.identity() {
		l.dbusy = false
		l.rows, l.shown, l.server = state.Rows{}, nil, true
		l.bind()
		l.seek()
		return nil
	}
	l.dbusy = true
	return derive(l.coll, l.dgen, l.coll.Snapshot(), l.want, l.spec.Schema)
}

// SetQuery changes the filter; the match runs in a Cmd and never blocks typing.
func (l *List[T]) SetQuery(q string) tea.Cmd {
	if q == l.want.Query {
		return nil
	}
	l.want.Query = q
	l.tbl.SetCursor(0)
	return l.rederive()
}

// CycleSort moves the sort to the next column (then back to server order).
func (l *List[T]) CycleSort() tea.Cmd {
	l.KeepCursor()
	l.want.SortCol++
	if l.want.SortCol >= len(l.spec.Columns) {
		l.want.SortCol = -1
	}
	l.want.Desc = slices.Contains(l.spec.DescFirst, l.want.SortCol)
	return l.rederive()
}

// ReverseSort flips the sort direction (sorting by the first column when unsorted).
func (l *List[T]) ReverseSort() tea.Cmd {
	l.KeepCursor()
	if l.want.SortCol < 0 {
		l.want.SortCol = 0
	}
	l.want.Desc = !l.want.Desc
	return l.rederive()
}

// Bindings are the keys every list brings: marks, sort, refresh, and esc
// clearing the filter or the marks when there is one to clear.
func (l *List[T]) Bindings(env pane.Env) []pane.Binding {
	b := []pane.Binding{
		{Action: pane.ActSort, Keys: []string{"s"}, Help: "sort by next column", Short: "sort", Group: pane.GroupFind, Run: l.CycleSort},
		{Action: pane.ActSortReverse, Keys: []string{"S"}, Help: "reverse sort", Group: pane.GroupFind, Run: l.ReverseSort},
		{Action: pane.ActMark, Keys: []string{"space"}, Help: "mark row", Short: "mark", Group: pane.GroupSelect, Run: func() tea.Cmd {
			l.tbl.ToggleMark(l.tbl.Cursor())
			l.tbl.MoveDown(1)
			return nil
		}},
		{Action: pane.ActMarkAll, Keys: []string{"ctrl+a"}, Help: "mark all visible", Group: pane.GroupSelect, Run: func() tea.Cmd { return l.askMarkAll(env) }},
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh", Short: "refresh", Group: pane.GroupGeneral, Run: func() tea.Cmd { return l.Load(env) }},
	}
	switch {
	case l.want.Query != "":
		b = append(b, pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: HelpClearFilter, Short: "clear", Group: pane.GroupFind,
			Run: func() tea.Cmd { return l.SetQuery("") }})
	case l.tbl.MarkedCount() > 0:
		b = append(b, pane.Binding{Action: pane.ActBack, Keys: []string{"esc"}, Help: "clear the marks", Short: "unmark", Group: pane.GroupSelect,
			Run: func() tea.Cmd {
				l.ClearMarks()
				env.Clear(MarksOwner(l.coll.Key)) // the error was about these marks
				return nil
			}})
	}
	return b
}

// askMarkAll marks every visible row; over a fuzzy filter it asks first,
// saying how many rows that is and how to choose exactly.
func (l *List[T]) askMarkAll(env pane.Env) tea.Cmd {
	q, _ := state.ParseQuery(l.want.Query)
	n := l.Visible()
	if l.want.Query == "" || !q.Fuzzy() || n == 0 {
		l.markAll(q)
		return nil
	}
	env.Ask(dialog.NewConfirm(fmt.Sprintf("Mark all %d rows the filter shows?", n),
		"The filter is fuzzy: it keeps every "+l.spec.Noun+" whose "+q.Rule()+", which can match names you did not mean. "+
			"For an exact choice filter with 'text (contains), ^prefix, suffix$, !not or re:PATTERN.",
		func() tea.Cmd { l.markAll(q); return nil }))
	return nil
}

// markAll marks every visible row, remembering the rule that chose them.
func (l *List[T]) markAll(q state.Query) {
	all := make([]int, l.Visible())
	for i := range all {
		all[i] = i
	}
	l.tbl.MarkAll(all)
	l.markRule = ""
	if !q.Empty() {
		l.markRule = q.Rule()
	}
}

// MarkWhere marks the visible rows keep accepts, in place of the marks
// held, and names rule as what chose them (the bulk confirmation says it).
// It returns how many it marked.
func (l *List[T]) MarkWhere(rule string, keep func(T) bool) int {
	var rows []int
	for i := range l.Visible() {
		if v, ok := l.Row(i); ok && keep(v) {
			rows = append(rows, i)
		}
	}
	l.tbl.ClearMarks()
	l.tbl.MarkAll(rows)
	l.markRule = ""
	if len(rows) > 0 {
		l.markRule = rule
		if q, _ := state.ParseQuery(l.want.Query); !q.Empty() {
			l.markRule = q.Rule() + ", and " + rule
		}
	}
	return len(rows)
}

// HelpClearFilter is the help of the list's esc while a filter is set.
const HelpClearFilter = "clear the filter"

// Chosen is what a change on the list applies to: the ids of the marked
// rows, else the id of the row under the cursor (none when empty).
func (l *List[T]) Chosen() []string {
	if ids := l.Marked(); len(ids) > 0 {
		return ids
	}
	if v, ok := l.Selected(); ok {
		return []string{l.spec.ID(v)}
	}
	return nil
}

// Move applies a movement action to the table; the cursor is the user's
// again (a reload no longer puts it back on the item it was on).
func (l *List[T]) Move(_ pane.Env, act string) {
	l.follow = ""
	MoveTable(l.tbl, act)
}

// MoveTable applies a movement action to t (a pane drawing its own table).
func MoveTable(t *table.Table, act string) {
	switch act {
	case pane.ActUp:
		t.MoveUp(1)
	case pane.ActDown:
		t.MoveDown(1)
	case pane.ActTop:
		t.Top()
	case pane.ActBottom:
		t.Bottom()
	case pane.ActHalfDown:
		t.HalfPageDown()
	case pane.ActHalfUp:
		t.HalfPageUp()
	case pane.ActPageDown:
		t.PageDown()
	case pane.ActPageUp:
		t.PageUp()
	}
}

// View draws the table, or the state of the load when there is nothing to draw.
func (l *List[T]) View(env pane.Env, w, h int) string {
	th := env.Theme()
	l.tbl.SetStyles(th.Table)
	l.tbl.SetSize(w, h)
	switch {
	case l.coll.Status == state.Failed && len(l.coll.Items) == 0:
		return "\n  " + th.Error.Render("Could not load "+l.spec.Noun+".") + "\n\n  " +
			text.Wrap(pane.Describe(l.coll.Err), w-4, "  ") + "\n\n  " + th.Dim.Render("Press "+env.Key(pane.ActRefresh)+" to retry.")
	case l.coll.Status == state.Loading && len(l.coll.Items) == 0:
		return "\n  " + env.Spinner() + " loading " + l.spec.Noun + "…"
	}
	switch {
	case !l.server && l.rows.Err != nil:
		l.tbl.SetEmpty(fmt.Sprintf("The filter %q cannot be used: %v (esc clears it).", l.want.Query, l.rows.Err))
	case l.want.Query != "" && l.Visible() == 0 && !l.dbusy:
		l.tbl.SetEmpty(fmt.Sprintf("No %s match %q (esc clears the filter).", l.spec.Noun, l.want.Query))
	case l.coll.Status == state.Loaded:
		l.tbl.SetEmpty("No " + l.spec.Noun + ".")
	}
	return l.tbl.View()
}

// Status is the list's part of the status line: loading progress, counts,
// age, filter, sort and marks.
func (l *List[T]) Status(env pane.Env) string {
	loaded, total := l.coll.Progress()
	var s string
	switch l.coll.Status {
	case state.Loading:
		if total > 0 {
			s = fmt.Sprintf("%s loading %s %d/%d", env.Spinner(), l.spec.Noun, loaded, total)
		} else {
			s = fmt.Sprintf("%s loading %s…", env.Spinner(), l.spec.Noun)
		}
		if c := env.Client(); c != nil && c.Yielding() {
			s += " (paused while a change runs)"
		}
	case state.Loaded:
		s = fmt.Sprintf("%d %s", loaded, l.spec.Noun)
		if !l.coll.LoadedAt.IsZero() {
			s += " · loaded " + text.Since(env.Now(), l.coll.LoadedAt)
		}
	case state.Failed:
		s = "load failed; " + env.Key(pane.ActRefresh) + " retries"
	case state.Idle:
		if loaded > 0 {
			s = fmt.Sprintf("%d of %d %s held", loaded, total, l.spec.Noun)
		}
	}
	if l.want.Query != "" {
		s += fmt.Sprintf(" · filter %q: %d", l.want.Query, l.Visible())
		if l.dbusy {
			s += " (filtering…)"
		}
	}
	if l.want.SortCol >= 0 {
		dir := "▲"
		if l.want.Desc {
			dir = "▼"
		}
		s += " · sort " + l.spec.Columns[l.want.SortCol].Title + " " + dir
	}
	if n := l.tbl.MarkedCount(); n > 0 {
		s += fmt.Sprintf(" · %d marked", n)
	}
	return s
}
