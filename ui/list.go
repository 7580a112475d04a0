package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/table"
)

// listSpec describes a list of T: its columns, how to read a row, and how to
// fetch a page of it.
type listSpec[T any] struct {
	kind    state.Kind
	noun    string // "repositories"
	columns []table.Column
	cell    func(v T, col int) string
	schema  state.Schema[T] // Name: the filtered and copied name; Compare: column sort
	id      func(v T) string
	fetch   func(c *hubclient.Client, scope string) hubclient.PageFunc[T]
	// descFirst lists the columns whose first sort is descending (counts,
	// sizes, times: the biggest and newest first).
	descFirst []int
}

// list is the shared machinery of a list pane: a collection streaming in,
// a derived visible order (filter, sort) computed off the Update path, a
// windowed table, and cancellation when the pane is left.
type list[T any] struct {
	spec   listSpec[T]
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
	tbl    *table.Table
	cancel context.CancelFunc
	// markRule is the filter rule that chose the marks when ctrl+a marked
	// every visible row ("" when marks were made by hand); bulk
	// confirmations show it.
	markRule string
}

func newList[T any](spec listSpec[T]) *list[T] {
	l := &list[T]{spec: spec, want: state.Spec{SortCol: -1}, tbl: table.New(spec.columns)}
	l.reset("")
	return l
}

// reset points the list at scope (an org, a repository) with no rows.
func (l *list[T]) reset(scope string) {
	if l.cancel != nil {
		l.cancel()
	}
	l.scope = scope
	l.want = state.Spec{SortCol: -1} // filter and sort belong to the list they were set on
	l.markRule = ""
	l.coll = state.NewCollection[T](state.Key{Kind: l.spec.kind, Scope: scope})
	l.rows, l.shown, l.server = state.Rows{}, nil, true
	l.dbusy, l.dirty, l.follow = false, false, ""
	l.tbl.ClearMarks()
	l.tbl.SetCursor(0)
	l.bind()
}

// identity reports whether the visible order is the server order.
func (l *list[T]) identity() bool { return l.want.Query == "" && l.want.SortCol < 0 }

// items is what the rows on screen index: the collection in server order,
// or the snapshot the derivation on screen was computed from. Until a new
// derivation lands, the previous one stays on screen, consistent with itself.
func (l *list[T]) items() []T {
	if l.server {
		return l.coll.Items
	}
	return l.shown
}

// visible is the number of rows shown.
func (l *list[T]) visible() int {
	if l.server {
		return len(l.coll.Items)
	}
	return len(l.rows.Indices)
}

// index maps a visible row to an index into items().
func (l *list[T]) index(row int) int {
	if l.server {
		return row
	}
	return l.rows.Indices[row]
}

// selected is the item under the cursor: the one drawn there.
func (l *list[T]) selected() (T, bool) {
	var zero T
	c := l.tbl.Cursor()
	if c < 0 || c >= l.visible() {
		return zero, false
	}
	return l.items()[l.index(c)], true
}

// bind gives the table its row source for the current order.
func (l *list[T]) bind() {
	items := l.items()
	if l.server {
		l.tbl.SetSource(len(items), func(row, col int) string { return l.spec.cell(items[row], col) })
		l.tbl.SetID(func(row int) string { return l.spec.id(items[row]) })
		l.tbl.SetHighlight(nil)
	} else {
		idx, hl := l.rows.Indices, l.rows.Highlights
		l.tbl.SetSource(len(idx), func(row, col int) string { return l.spec.cell(items[idx[row]], col) })
		l.tbl.SetID(func(row int) string { return l.spec.id(items[idx[row]]) })
		l.tbl.SetHighlight(func(row, col int) []int {
			if col != 0 || hl == nil {
				return nil
			}
			return hl[idx[row]]
		})
	}
	l.tbl.SetSort(l.want.SortCol, l.want.Desc)
}

// keepCursor makes the cursor stay on the item under it (not on its row
// number) once the next order lands: after a sort, or a change to the items.
func (l *list[T]) keepCursor() {
	if v, ok := l.selected(); ok {
		l.follow = l.spec.id(v)
	}
}

// seek moves the cursor to the item kept by keepCursor, when it is still shown.
func (l *list[T]) seek() {
	if l.follow == "" {
		return
	}
	id := l.follow
	l.follow = ""
	items := l.items()
	for row, n := 0, l.visible(); row < n; row++ {
		if l.spec.id(items[l.index(row)]) == id {
			l.tbl.SetCursor(row)
			return
		}
	}
}

// load starts (or restarts) streaming the list; its results carry a new generation.
func (l *list[T]) load(a *App) tea.Cmd {
	if a.sess.Client == nil || l.scope == "" {
		return nil
	}
	if l.cancel != nil {
		l.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	fetch := resume(l.coll, l.spec.fetch(a.sess.Client, l.scope))
	gen := l.coll.Begin(a.gen)
	a.gen = gen
	return streamList(ctx, a.sess.Client, l.coll.Key, gen, fetch)
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

// leave cancels the running load.
func (l *list[T]) leave() {
	if l.cancel != nil {
		l.cancel()
		l.cancel = nil
	}
	l.coll.Cancel()
}

// handle applies pages, the end of a load and derivations addressed to this
// list; it reports whether msg was one of them.
func (l *list[T]) handle(a *App, msg tea.Msg) (tea.Cmd, bool) {
	switch m := msg.(type) {
	case pageMsg[T]:
		if m.key != l.coll.Key || !l.coll.AddPage(m.gen, m.page, m.items, m.total) {
			return nil, m.key == l.coll.Key
		}
		return l.itemsChanged(), true
	case doneMsg:
		if m.key != l.coll.Key {
			return nil, false
		}
		if !l.coll.Finish(m.gen, m.err, a.opts.Now()) {
			return nil, true
		}
		if m.err != nil {
			a.setErr(fmt.Errorf("load %s: %w", l.spec.noun, m.err))
			a.errFrom = l.coll.Key.String()
		} else if a.errFrom == l.coll.Key.String() || a.errFrom == orgsErr {
			// This list loaded after all; or the Hub answers again, and the
			// organization list that failed with it is asked for once more.
			retry := a.errFrom == orgsErr && a.orgs == nil
			a.errText, a.errFrom = "", ""
			if retry {
				return tea.Batch(l.itemsChanged(), a.loadOrgs()), true
			}
		}
		return l.itemsChanged(), true
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

// itemsChanged rebinds after new rows; with a filter or sort on it asks for
// a new derivation (or marks one due when one is running).
func (l *list[T]) itemsChanged() tea.Cmd {
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
func (l *list[T]) rederive() tea.Cmd {
	l.dgen++
	if l.identity() {
		l.dbusy = false
		l.rows, l.shown, l.server = state.Rows{}, nil, true
		l.bind()
		l.seek()
		return nil
	}
	l.dbusy = true
	return derive(l.coll, l.dgen, l.coll.Snapshot(), l.want, l.spec.schema)
}

// setQuery changes the filter; the match runs in a Cmd and never blocks typing.
func (l *list[T]) setQuery(q string) tea.Cmd {
	if q == l.want.Query {
		return nil
	}
	l.want.Query = q
	l.tbl.SetCursor(0)
	return l.rederive()
}

// cycleSort moves the sort to the next column (then back to server order).
func (l *list[T]) cycleSort() tea.Cmd {
	l.keepCursor()
	l.want.SortCol++
	if l.want.SortCol >= len(l.spec.columns) {
		l.want.SortCol = -1
	}
	l.want.Desc = slices.Contains(l.spec.descFirst, l.want.SortCol)
	return l.rederive()
}

// reverseSort flips the sort direction (sorting by the first column when unsorted).
func (l *list[T]) reverseSort() tea.Cmd {
	l.keepCursor()
	if l.want.SortCol < 0 {
		l.want.SortCol = 0
	}
	l.want.Desc = !l.want.Desc
	return l.rederive()
}

// ensure loads the list when it has never loaded, was left mid-load, or
// failed with nothing to show.
func (l *list[T]) ensure(a *App) tea.Cmd {
	if l.coll.Status == state.Idle && l.scope != "" {
		return l.load(a) // never loaded, or left part way: go on from what it holds
	}
	if l.coll.Status == state.Idle || l.coll.Status == state.Failed && len(l.coll.Items) == 0 {
		return l.load(a)
	}
	return nil
}

// common applies the actions every list shares: movement, marks, sort,
// refresh, and esc clearing the filter or the marks. handled is false when
// act is not one of them, or esc had nothing to clear.
func (l *list[T]) common(a *App, act Action) (cmd tea.Cmd, handled bool) {
	if l.move(act) {
		return nil, true
	}
	switch act {
	case ActSort:
		return l.cycleSort(), true
	case ActSortReverse:
		return l.reverseSort(), true
	case ActRefresh:
		return l.load(a), true
	case ActMarkAll:
		q, _ := state.ParseQuery(l.want.Query)
		n := l.visible()
		if l.want.Query == "" || !q.Fuzzy() || n == 0 {
			l.markAll(q)
			return nil, true
		}
		return a.ask(newConfirm(fmt.Sprintf("Mark all %d rows the filter shows?", n),
			"The filter is fuzzy: it keeps every "+l.spec.noun+" whose "+q.Rule()+", which can match names you did not mean. "+
				"For an exact choice filter with 'text (contains), ^prefix, suffix$, !not or re:PATTERN.",
			func() tea.Cmd { l.markAll(q); return nil })), true
	case ActBack:
		if l.want.Query != "" {
			a.filter.SetValue("")
			return l.setQuery(""), true
		}
		if l.tbl.MarkedCount() > 0 {
			l.tbl.ClearMarks()
			l.markRule = ""
			if a.errFrom == marksErr(l.coll.Key.String()) {
				a.errText, a.errFrom = "", "" // the error was about these marks
			}
			return nil, true
		}
	}
	return nil, false
}

// markAll marks every visible row, remembering the rule that chose them.
func (l *list[T]) markAll(q state.Query) {
	all := make([]int, l.visible())
	for i := range all {
		all[i] = i
	}
	l.tbl.MarkAll(all)
	l.markRule = ""
	if !q.Empty() {
		l.markRule = q.Rule()
	}
}

// move applies a movement action to the table; false when act is not one.
func (l *list[T]) move(act Action) bool {
	t := l.tbl
	switch act {
	case ActUp:
		t.MoveUp(1)
	case ActDown:
		t.MoveDown(1)
	case ActTop:
		t.Top()
	case ActBottom:
		t.Bottom()
	case ActHalfDown:
		t.HalfPageDown()
	case ActHalfUp:
		t.HalfPageUp()
	case ActPageDown:
		t.PageDown()
	case ActPageUp:
		t.PageUp()
	case ActMark:
		t.ToggleMark(t.Cursor())
		t.MoveDown(1)
	default:
		return false
	}
	return true
}

// view draws the table, or the state of the load when there is nothing to draw.
func (l *list[T]) view(a *App, w, h int) string {
	l.tbl.SetStyles(a.theme.Table)
	l.tbl.SetSize(w, h)
	switch {
	case l.coll.Status == state.Failed && len(l.coll.Items) == 0:
		return "\n  " + a.theme.Error.Render("Could not load "+l.spec.noun+".") + "\n\n  " +
			wrap(describeErr(l.coll.Err), w-4, "  ") + "\n\n  " + a.theme.Dim.Render("Press r to retry.")
	case l.coll.Status == state.Loading && len(l.coll.Items) == 0:
		return "\n  " + a.spin.View() + " loading " + l.spec.noun + "…"
	}
	switch {
	case !l.server && l.rows.Err != nil:
		l.tbl.SetEmpty(fmt.Sprintf("The filter %q cannot be used: %v (esc clears it).", l.want.Query, l.rows.Err))
	case l.want.Query != "" && l.visible() == 0 && !l.dbusy:
		l.tbl.SetEmpty(fmt.Sprintf("No %s match %q (esc clears the filter).", l.spec.noun, l.want.Query))
	case l.coll.Status == state.Loaded:
		l.tbl.SetEmpty("No " + l.spec.noun + ".")
	}
	return l.tbl.View()
}

// status is the list's part of the status line: loading progress, counts,
// filter and marks.
func (l *list[T]) status(a *App) string {
	loaded, total := l.coll.Progress()
	var s string
	switch l.coll.Status {
	case state.Loading:
		if total > 0 {
			s = fmt.Sprintf("%s loading %s %d/%d", a.spin.View(), l.spec.noun, loaded, total)
		} else {
			s = fmt.Sprintf("%s loading %s…", a.spin.View(), l.spec.noun)
		}
	case state.Loaded:
		s = fmt.Sprintf("%d %s", loaded, l.spec.noun)
		if !l.coll.LoadedAt.IsZero() {
			s += " · loaded " + since(a.opts.Now(), l.coll.LoadedAt)
		}
	case state.Failed:
		s = "load failed; r retries"
	}
	if l.want.Query != "" {
		s += fmt.Sprintf(" · filter %q: %d", l.want.Query, l.visible())
		if l.dbusy {
			s += " (filtering…)"
		}
	}
	if l.want.SortCol >= 0 {
		dir := "▲"
		if l.want.Desc {
			dir = "▼"
		}
		s += " · sort " + l.spec.columns[l.want.SortCol].Title + " " + dir
	}
	if n := l.tbl.MarkedCount(); n > 0 {
		s += fmt.Sprintf(" · %d marked", n)
	}
	return s
}

// marksErr owns an error about the marks of the list with key.
func marksErr(key string) string { return "marks " + key }

// since is "12s ago" style.
func since(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}
