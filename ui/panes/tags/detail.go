package tags

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
)

// Detail is the page of one tag, pushed over the list: each platform
// image with its digest, size, OS, status, times and layers. The list
// keeps only what its rows need; the full record is fetched here.
type Detail struct {
	root   *Pane
	ref    string // namespace/name
	name   string
	row    Row // the list's row, shown until the record arrives
	tag    *hubclient.Tag
	err    error
	gen    uint64
	cancel context.CancelFunc
	scroll int
	height int
	// lines is the page drawn at width linesW, built once per answer.
	lines  []string
	linesW int
}

// Kind is state.Tags.
func (d *Detail) Kind() state.Kind { return state.Tags }

// Title is the tag, for the breadcrumbs.
func (d *Detail) Title() string { return d.name }

// Selected is "namespace/name:tag".
func (d *Detail) Selected() (string, bool) { return d.ref + ":" + d.name, true }

// Busy reports the fetch in flight.
func (d *Detail) Busy() bool { return d.tag == nil && d.err == nil }

// Enter fetches the tag (again, when left while it loaded).
func (d *Detail) Enter(env pane.Env) tea.Cmd {
	if d.tag != nil {
		return nil
	}
	return d.fetch(env)
}

// Leave cancels the fetch.
func (d *Detail) Leave(pane.Env) {
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
}

func (d *Detail) fetch(env pane.Env) tea.Cmd {
	if d.cancel != nil {
		d.cancel()
	}
	c := env.Client()
	if c == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel, d.err, d.gen = cancel, nil, env.NextGen()
	ns, repo, _ := strings.Cut(d.ref, "/")
	name := d.name
	return list.Call(ctx, state.Key{Kind: state.Tags, Scope: d.ref}, d.gen, func(ctx context.Context) (*hubclient.Tag, error) {
		t, _, err := c.Tags.Get(ctx, ns, repo, name)
		return t, err
	})
}

// Update takes the fetch's answer.
func (d *Detail) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	m, ok := msg.(list.Result[*hubclient.Tag])
	if !ok || m.Gen != d.gen || errors.Is(m.Err, context.Canceled) {
		return nil
	}
	d.tag, d.err, d.lines = m.Val, m.Err, nil
	if m.Err != nil {
		env.Fail("", fmt.Errorf("tag %s:%s: %w", d.ref, d.name, m.Err))
	}
	return nil
}

// Bindings are copy (by tag and by digest) and refresh; esc is the frame's.
func (d *Detail) Bindings(env pane.Env) []pane.Binding {
	t := d.row
	if d.tag != nil && d.tag.Digest != "" {
		t.Digest = d.tag.Digest
	}
	return []pane.Binding{
		copyTag(env, d.ref, t, true),
		copyDigest(env, d.ref, t, true),
		{Action: pane.ActRefresh, Keys: []string{"r"}, Help: "refresh the tag", Short: "refresh", Group: pane.GroupGeneral,
			Run: func() tea.Cmd { return d.fetch(env) }},
	}
}

// Move scrolls the page.
func (d *Detail) Move(_ pane.Env, act string) { d.scroll = pane.Scroll(d.scroll, d.height, act) }

// Status says what loads.
func (d *Detail) Status(env pane.Env) string {
	if d.Busy() {
		return env.Spinner() + " loading " + sanitize.String(d.ref+":"+d.name) + "…"
	}
	return sanitize.String(d.ref + ":" + d.name)
}

// View draws the lines on screen.
func (d *Detail) View(env pane.Env, w, h int) string {
	d.height = h
	if d.lines == nil || d.linesW != w || d.Busy() {
		d.lines, d.linesW = d.build(env, w), w
	}
	d.scroll = min(d.scroll, max(0, len(d.lines)-h))
	return strings.Join(d.lines[d.scroll:min(len(d.lines), d.scroll+h)], "\n")
}

// build draws the whole page; every server string is sanitised.
func (d *Detail) build(env pane.Env, w int) []string {
	th := env.Theme()
	field := func(label, value string) string {
		return th.Label.Render(fmt.Sprintf("  %-14s", label)) + text.Truncate(sanitize.String(value), max(10, w-18))
	}
	r := d.row
	if d.tag != nil { // the full record, fresher than the list's row
		r = rowOf(*d.tag, &interner{})
	}
	lines := []string{"", "  " + th.Title.Render(sanitize.String(d.ref+":"+d.name)) + "  " + th.Dim.Render(text.OrDash(r.Status)), ""}
	lines = append(lines,
		field("Digest", text.OrDash(r.Digest)),
		field("Size", text.Bytes(r.Size)),
		field("Last pushed", text.LongTime(r.LastPushed())),
		field("Last pulled", text.LongTime(r.LastPulled())),
		field("Pushed by", text.OrDash(r.Pusher)),
	)
	if d.tag != nil && d.tag.MediaType != "" {
		lines = append(lines, field("Media type", d.tag.MediaType))
	}
	switch {
	case d.err != nil:
		return append(lines, "", "  "+th.Error.Render(pane.Describe(d.err)))
	case d.tag == nil:
		return append(lines, "", "  "+env.Spinner()+" loading the images…")
	}
	lines = append(lines, "", "  "+th.Title.Render(fmt.Sprintf("Images (%d)", len(d.tag.Images))))
	for _, im := range d.tag.Images {
		os := im.OS
		if im.OSVersion != "" {
			os += " " + im.OSVersion
		}
		if im.OSFeatures != "" {
			os += " (" + im.OSFeatures + ")"
		}
		lines = append(lines, "",
			"  "+th.Key.Render(sanitize.String(im.Platform())),
			field("Digest", text.OrDash(im.Digest)),
			field("Size", text.Bytes(im.Size)),
			field("OS", text.OrDash(os)),
			field("Status", text.OrDash(im.Status)),
			field("Last pushed", text.LongTime(im.LastPushed)),
			field("Last pulled", text.LongTime(im.LastPulled)),
		)
		if im.Features != "" {
			lines = append(lines, field("CPU features", im.Features))
		}
		if len(im.Layers) == 0 {
			lines = append(lines, field("Layers", "not listed"))
			continue
		}
		var total int64
		for _, l := range im.Layers {
			total += l.Size
		}
		lines = append(lines, field("Layers", fmt.Sprintf("%d, %s", len(im.Layers), text.Bytes(total))))
		for i, l := range im.Layers {
			instr := strings.Join(strings.Fields(sanitize.String(l.Instruction)), " ")
			lines = append(lines, th.Dim.Render(fmt.Sprintf("  %16s %3d %9s  ", "", i+1, text.Bytes(l.Size)))+text.Truncate(text.OrDash(instr), max(10, w-34)))
		}
	}
	return lines
}

// Pages are the pages this pane pushes, fresh, for the keymap.
func (p *Pane) Pages() []pane.Pane { return []pane.Pane{&Detail{root: p}} }
