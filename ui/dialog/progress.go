package dialog

import (
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/sanitize"
	"github.com/hubtui/hubtui/ui/text"
	"github.com/hubtui/hubtui/ui/theme"
)

// recentResults is how many of the latest results the progress box lists.
const recentResults = 3

// Progress follows a change made of many requests: how many are done, the
// latest results and every failure. It may be stopped, or hidden while the
// work goes on; once finished it stays until it is closed.
type Progress struct {
	mu        sync.Mutex
	title     string
	total     int
	onCancel  func()
	done      int
	recent    []string // the latest results, newest last
	failed    []string // "item: error"
	finished  bool
	summary   string
	cancelled bool
	failTop   int  // the first failure drawn
	follow    bool // keep the newest failures in view
}

// NewProgress follows total items of work; onCancel (which may be nil) is
// called once when the user asks to stop.
func NewProgress(title string, total int, onCancel func()) *Progress {
	return &Progress{title: title, total: total, onCancel: onCancel, follow: true}
}

// Add records one item done: ok when err is nil, failed otherwise.
func (p *Progress) Add(item string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	line := "✓ " + item
	if err != nil {
		f := item + ": " + err.Error()
		p.failed = append(p.failed, f)
		line = "✗ " + f
	}
	p.recent = append(p.recent, line)
	if len(p.recent) > recentResults {
		p.recent = append(p.recent[:0], p.recent[len(p.recent)-recentResults:]...)
	}
}

// Finish records that the work is over, with a line that sums it up; the
// box then waits to be closed.
func (p *Progress) Finish(summary string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = true
	p.summary = summary
}

// Finished reports whether Finish was called.
func (p *Progress) Finished() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished
}

// Failed is every failure so far, one "item: error" line each.
func (p *Progress) Failed() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.failed...)
}

// Done is how many items are done, failed ones included.
func (p *Progress) Done() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// Update takes the keys: while the work runs, esc or c asks it to stop
// (once) and h hides the box while the work goes on; once finished,
// enter, esc or q closes it. up and down scroll the failures.
func (p *Progress) Update(msg tea.Msg) (tea.Cmd, bool) {
	p.mu.Lock()
	k := keyOf(msg)
	switch k {
	case "up":
		p.follow = false
		p.failTop = max(0, p.failTop-1)
	case "down":
		p.failTop++
	}
	if p.finished {
		p.mu.Unlock()
		switch k {
		case "enter", "esc", "q", "h":
			return nil, true
		}
		return nil, false
	}
	switch k {
	case "h":
		p.mu.Unlock()
		return nil, true
	case "esc", "c":
		cancel := !p.cancelled && p.onCancel != nil
		p.cancelled = true
		p.mu.Unlock()
		if cancel {
			p.onCancel()
		}
		return nil, false
	}
	p.mu.Unlock()
	return nil, false
}

// Hint is the footer line: the keys the box takes now.
func (p *Progress) Hint() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hint()
}

func (p *Progress) hint() string {
	switch {
	case p.finished:
		return "enter/esc/q close"
	case p.cancelled:
		return "h hide"
	}
	return "esc/c stop · h hide (the work goes on)"
}

// View draws the progress box, at most w cells wide and h lines tall.
func (p *Progress) View(t *theme.Theme, w, h int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	tw := textWidth(w)
	head := []string{t.Title.Render(sanitize.String(p.title)), ""}
	count := fmt.Sprintf("%d/%d", p.done, p.total)
	head = append(head, count+" "+bar(p.done, p.total, tw-len(count)-1))
	switch {
	case p.finished && p.summary != "":
		style := t.OK
		if len(p.failed) > 0 {
			style = t.Warn
		}
		head = append(head, lines(style.Render(text.Wrap(sanitize.Text(p.summary), tw, "")))...)
	case p.finished:
		head = append(head, t.OK.Render("finished"))
	case p.cancelled:
		head = append(head, t.Warn.Render("stopping after the current item…"))
	}
	if len(p.recent) > 0 {
		head = append(head, "")
		for _, r := range p.recent {
			if strings.HasPrefix(r, "✗") {
				head = append(head, t.Error.Render(sanitize.String(r)))
			} else {
				head = append(head, t.Dim.Render(sanitize.String(r)))
			}
		}
	}
	foot := []string{"", t.Dim.Render(p.hint())}
	if len(p.failed) == 0 {
		return render(t, w, h, head, nil, foot)
	}
	head = append(head, "", t.Error.Render(fmt.Sprintf("%d failed:", len(p.failed))))
	// The failures get the lines left over, less one for a line that says
	// how many are out of view.
	room := max(1, h-t.Box.GetVerticalFrameSize()-len(head)-len(foot))
	rows := room
	if len(p.failed) > room {
		rows = max(1, room-1)
	}
	last := max(0, len(p.failed)-rows)
	if p.follow || p.failTop >= last {
		p.failTop, p.follow = last, true
	}
	var body []string
	for _, f := range p.failed[p.failTop:min(len(p.failed), p.failTop+rows)] {
		body = append(body, sanitize.String(f))
	}
	if hidden := len(p.failed) - len(body); hidden > 0 {
		body = append(body, t.Dim.Render(fmt.Sprintf("(%d more; ↑/↓ scroll)", hidden)))
	}
	return render(t, w, h, head, body, foot)
}

// bar is a w-cell text bar filled done/total of the way.
func bar(done, total, w int) string {
	w = max(4, w)
	fill := w
	if total > 0 {
		fill = min(w, done*w/total)
	}
	return strings.Repeat("█", fill) + strings.Repeat("░", w-fill)
}
