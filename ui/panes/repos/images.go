package repos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/hubclient"
	"github.com/hubtui/hubtui/state"
	"github.com/hubtui/hubtui/ui/dialog"
	"github.com/hubtui/hubtui/ui/list"
	"github.com/hubtui/hubtui/ui/pane"
	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/table"
	"github.com/hubtui/hubtui/ui/text"
)

// KindImages is the images of one repository (a page of the Repos tab).
const KindImages state.Kind = "images"

// ActImages opens a repository's images; ActImageFilter cycles the
// server-side filter of that list.
const (
	ActImages      = "images"
	ActImageFilter = "image_filter"
)

// imageFilters are the server-side choices, cycled by ActImageFilter.
var imageFilters = []string{"all", "inactive", "untagged", "inactive and untagged"}

// imagesSpec lists one repository's images; the scope is
// "namespace/name|filter".
func imagesSpec() list.Spec[hubclient.RepositoryImage] {
	const (
		colDigest = iota
		colStatus
		colTags
		colPushed
		colPulled
	)
	return list.Spec[hubclient.RepositoryImage]{
		Kind: KindImages,
		Noun: "images",
		Columns: []table.Column{
			{Title: "DIGEST", Min: 19, Max: 23},
			{Title: "STATUS", Min: 8, Max: 8},
			{Title: "CURRENT TAGS", Min: 12, Max: 60, Flex: 3},
			{Title: "LAST PUSHED", Min: 16, Max: 16},
			{Title: "LAST PULLED", Min: 16, Max: 16},
		},
		Cell: func(im hubclient.RepositoryImage, col int) string {
			switch col {
			case colDigest:
				return text.ShortDigest(im.Digest)
			case colStatus:
				return im.Status
			case colTags:
				if t := im.CurrentTags(); len(t) > 0 {
					return strings.Join(t, ", ")
				}
				return "(untagged)"
			case colPushed:
				return text.ShortTime(im.LastPushed)
			case colPulled:
				return text.ShortTime(im.LastPulled)
			}
			return ""
		},
		Schema: state.Schema[hubclient.RepositoryImage]{
			Name: func(im hubclient.RepositoryImage) string {
				return im.Digest + " " + strings.Join(im.CurrentTags(), " ")
			},
			Compare: func(a, b hubclient.RepositoryImage, col int) int {
				switch col {
				case colStatus:
					return strings.Compare(a.Status, b.Status)
				case colTags:
					return strings.Compare(strings.Join(a.CurrentTags(), ","), strings.Join(b.CurrentTags(), ","))
				case colPushed:
					return a.LastPushed.Compare(b.LastPushed)
				case colPulled:
					return a.LastPulled.Compare(b.LastPulled)
				}
				return strings.Compare(a.Digest, b.Digest)
			},
		},
		ID:        func(im hubclient.RepositoryImage) string { return im.Digest },
		DescFirst: []int{colPushed, colPulled},
		Fetch: func(c *hubclient.Client, scope string) hubclient.PageFunc[hubclient.RepositoryImage] {
			ref, filter, _ := strings.Cut(scope, "|")
			ns, name, _ := strings.Cut(ref, "/")
			opt := hubclient.ImageListOptions{Ordering: "-" + hubclient.ImageOrderLastActivity}
			if strings.Contains(filter, "inactive") {
				opt.Status = hubclient.ImageStatusInactive
			}
			if strings.Contains(filter, "untagged") {
				no := false
				opt.CurrentlyTagged = &no
			}
			return func(ctx context.Context, o hubclient.ListOptions) ([]hubclient.RepositoryImage, *hubclient.Response, error) {
				opt.ListOptions = o
				return c.Images.List(ctx, ns, name, &opt)
			}
		},
	}
}

// Images is the image cleanup page of one repository: its images (active
// or inactive, tagged or not) with the Hub's summary; marked images are
// deleted after the Hub's dry run has said what that would do.
type Images struct {
	d       *Detail
	L       *list.List[hubclient.RepositoryImage]
	filter  int
	sum     *hubclient.ImageSummary
	sumErr  error
	sumGen  uint64
	offered bool // false once the Hub said it has no image management
	told    bool
	dryGen  uint64
}

// imagesSummaryMsg is the Hub's count of active and inactive images.
type imagesSummaryMsg struct {
	gen uint64
	sum *hubclient.ImageSummary
	err error
}

// dryRunMsg is the Hub's answer to a dry run of deleting the marked images.
type dryRunMsg struct {
	gen     uint64
	refs    []hubclient.ImageRef
	res     *hubclient.DeleteImagesResult
	refusal *hubclient.DeleteImagesRefusal
	err     error
}

func newImages(d *Detail) *Images {
	return &Images{d: d, L: list.New(imagesSpec()), offered: true}
}

// Kind is KindImages.
func (im *Images) Kind() state.Kind { return KindImages }

// Title names the page in the breadcrumbs.
func (im *Images) Title() string { return "Images" }

// Busy reports a load in flight.
func (im *Images) Busy() bool { return im.L.Busy() }

// CanFilter is true: the local filter runs over digests and tags.
func (im *Images) CanFilter() bool { return true }

// Query is the local filter.
func (im *Images) Query() string { return im.L.Query() }

// SetQuery changes the local filter.
func (im *Images) SetQuery(_ pane.Env, q string) tea.Cmd { return im.L.SetQuery(q) }

// Move moves the cursor.
func (im *Images) Move(env pane.Env, act string) { im.L.Move(env, act) }

// Selected is the digest under the cursor.
func (im *Images) Selected() (string, bool) {
	v, ok := im.L.Selected()
	return fullName(im.d.repo) + "@" + v.Digest, ok
}

func (im *Images) scope() string {
	return fullName(im.d.repo) + "|" + imageFilters[im.filter]
}

// Enter loads the images and the summary.
func (im *Images) Enter(env pane.Env) tea.Cmd {
	if im.L.Scope() != im.scope() {
		im.L.Open(env, im.scope())
	}
	return tea.Batch(im.L.Ensure(env), im.summary(env))
}

// Leave stops the load.
func (im *Images) Leave(pane.Env) { im.L.Leave() }

func (im *Images) summary(env pane.Env) tea.Cmd {
	c := env.Client()
	if c == nil || im.sum != nil {
		return nil
	}
	im.sumGen = env.NextGen()
	gen, ns, name := im.sumGen, im.d.repo.Namespace, im.d.repo.Name
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
		defer cancel()
		s, _, err := c.Images.Summary(ctx, ns, name, env.Now().AddDate(0, -1, 0))
		return imagesSummaryMsg{gen: gen, sum: s, err: err}
	}
}

// Update takes pages, the summary and dry runs.
func (im *Images) Update(env pane.Env, msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case imagesSummaryMsg:
		if m.gen != im.sumGen {
			return nil
		}
		im.sum, im.sumErr = m.sum, m.err
		im.notOffered(env, m.err)
		return nil
	case dryRunMsg:
		if m.gen == im.dryGen {
			im.onDryRun(env, m)
		}
		return nil
	}
	cmd, _ := im.L.Update(env, msg)
	if im.L.Coll().Status == state.Failed {
		im.notOffered(env, im.L.Coll().Err)
	}
	return cmd
}

// notOffered says once that this Hub has no image management.
func (im *Images) notOffered(env pane.Env, err error) {
	if errors.Is(err, hubclient.ErrNotOffered) {
		im.offered = false
		if !im.told {
			im.told = true
			env.Say("this Hub does not offer image management for " + sanitize.String(fullName(im.d.repo)))
		}
	}
}

// Bindings are the list's, the server filter, and delete.
func (im *Images) Bindings(env pane.Env) []pane.Binding {
	_, ok := im.L.Selected()
	why := pane.Gate(env, pane.RoleEditor, ok || im.L.Table().MarkedCount() > 0)
	if !im.offered {
		why = "this Hub does not offer image management"
	}
	next := imageFilters[(im.filter+1)%len(imageFilters)]
	out := []pane.Binding{
		{Action: ActImageFilter, Keys: []string{"f"}, Help: "show " + next + " images (asks the Hub)", Short: "show " + next, Group: pane.GroupFind,
			Run: func() tea.Cmd {
				im.filter = (im.filter + 1) % len(imageFilters)
				im.L.Open(env, im.scope())
				return im.L.Ensure(env)
			}},
		{Action: pane.ActDelete, Keys: []string{"D"}, Help: "delete the marked images (dry run first)", Short: "delete", Mutates: true,
			Disabled: why, Run: func() tea.Cmd { return im.dryRun(env) }},
	}
	return append(out, im.L.Bindings(env)...)
}

// chosen is the marked images, or the one under the cursor.
func (im *Images) chosen() []hubclient.ImageRef {
	ids := im.L.Chosen()
	refs := make([]hubclient.ImageRef, len(ids))
	for i, id := range ids {
		refs[i] = hubclient.ImageRef{Repository: im.d.repo.Name, Digest: id}
	}
	return refs
}

// dryRun asks the Hub what deleting the chosen images would do.
func (im *Images) dryRun(env pane.Env) tea.Cmd {
	refs := im.chosen()
	c := env.Client()
	if len(refs) == 0 || c == nil {
		return nil
	}
	im.dryGen = env.NextGen()
	gen, ns := im.dryGen, im.d.repo.Namespace
	env.Say(fmt.Sprintf("asking the Hub for a dry run of deleting %d image(s)…", len(refs)))
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
		defer cancel()
		res, _, err := c.Images.Delete(ctx, ns, &hubclient.DeleteImagesRequest{DryRun: true, Manifests: refs})
		m := dryRunMsg{gen: gen, refs: refs, res: res, err: err}
		errors.As(err, &m.refusal)
		return m
	}
}

// onDryRun shows what the Hub said and asks before deleting.
func (im *Images) onDryRun(env pane.Env, m dryRunMsg) {
	env.Say("")
	if m.err != nil && m.refusal == nil {
		im.notOffered(env, m.err)
		env.Fail("", fmt.Errorf("dry run: %w", m.err))
		return
	}
	full := fullName(im.d.repo)
	var b strings.Builder
	var ignore []hubclient.ImageDeleteWarning
	if m.res != nil {
		fmt.Fprintf(&b, "The Hub's dry run: %d image(s) and %d tag(s) would be deleted.", m.res.Metrics.ManifestDeletes, m.res.Metrics.TagDeletes)
	}
	if r := m.refusal; r != nil {
		if len(r.Errors) > 0 {
			fmt.Fprintf(&b, "%d image(s) cannot be deleted:\n", len(r.Errors))
			for _, e := range r.Errors {
				fmt.Fprintf(&b, "  %s: %s\n", text.ShortDigest(sanitize.String(e.Digest)), warningWords(e.Error))
			}
		}
		if len(r.Warnings) > 0 {
			fmt.Fprintf(&b, "The Hub warns about %d image(s):\n", len(r.Warnings))
			for _, w := range r.Warnings {
				line := fmt.Sprintf("  %s: %s", text.ShortDigest(sanitize.String(w.Digest)), warningWords(w.Warning))
				if len(w.Tags) > 0 {
					line += " (" + sanitize.String(strings.Join(w.Tags, ", ")) + " go with it)"
				}
				b.WriteString(line + "\n")
			}
			ignore = r.Warnings
		}
		if len(r.Errors) > 0 {
			bad := map[string]bool{}
			for _, e := range r.Errors {
				bad[e.Digest] = true
			}
			var rest []hubclient.ImageRef
			for _, ref := range m.refs {
				if !bad[ref.Digest] {
					rest = append(rest, ref)
				}
			}
			if len(rest) == 0 {
				env.Ask(dialog.NewConfirm("None of these images can be deleted", b.String(), nil))
				return
			}
			fmt.Fprintf(&b, "\nThe other %d can be: they alone are deleted.\n", len(rest))
			m.refs = rest
		}
	}
	n := len(m.refs)
	title := fmt.Sprintf("Delete %d image(s) of %s?", n, full)
	run := func() tea.Cmd {
		refs := m.refs
		env.Mutate(pane.Change{What: fmt.Sprintf("deleting %d image(s) of %s", n, full), Done: fmt.Sprintf("deleted %d image(s) of %s", n, full),
			Run: func(ctx context.Context, c *hubclient.Client) (func() tea.Cmd, error) {
				res, _, err := c.Images.Delete(ctx, im.d.repo.Namespace, &hubclient.DeleteImagesRequest{Manifests: refs, IgnoreWarnings: ignore})
				return func() tea.Cmd {
					if res != nil {
						env.Say(fmt.Sprintf("deleted %d image(s) and %d tag(s) of %s (%d and %d failed)", res.Metrics.ManifestDeletes,
							res.Metrics.TagDeletes, full, res.Metrics.ManifestErrors, res.Metrics.TagErrors))
					}
					im.L.ClearMarks()
					im.sum = nil
					return tea.Batch(im.L.Load(env), im.summary(env))
				}, err
			}})
		return nil
	}
	body := b.String() + "\nIt cannot be undone."
	if len(ignore) > 0 || n > 20 {
		env.Ask(dialog.NewTyped(title, body, fmt.Sprintf("delete %d images", n), run))
		return
	}
	env.Ask(dialog.NewConfirm(title, body, run))
}

// warningWords says a delete warning in plain words.
func warningWords(w string) string {
	switch w {
	case hubclient.ImageWarningCurrentTag:
		return "tags still point at it"
	case hubclient.ImageWarningIsActive:
		return "pushed or pulled in the last month"
	case "immutable_tag":
		return "an immutable tag points at it"
	case "not_found":
		return "the Hub has no such image"
	}
	return sanitize.String(w)
}

// Status leads with the summary.
func (im *Images) Status(env pane.Env) string {
	s := sanitize.String(fullName(im.d.repo)) + " · " + imageFilters[im.filter] + " · " + im.L.Status(env)
	if im.sum != nil {
		st := im.sum.Statistics
		s += fmt.Sprintf(" · %d images: %d active, %d inactive", st.Total, st.Active, st.Inactive)
	}
	return s
}

// View draws the list, or that there is no image management here.
func (im *Images) View(env pane.Env, w, h int) string {
	if !im.offered {
		return "\n  " + env.Theme().Dim.Render(text.Wrap("This Hub does not offer image management (it answered 404/410): tags are managed in the Tags pane.", w-4, "  "))
	}
	return im.L.View(env, w, h)
}
