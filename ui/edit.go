package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hubtui/hubtui/ui/dialog"
)

// editReady is a temporary file written for the editor (or why not).
type editReady struct {
	page    uint64
	path    string
	editor  string
	title   string
	initial string
	limit   int
	done    func(string) tea.Cmd
	err     error
}

// editDone is the editor closed: the text it left, or why there is none.
type editDone struct {
	page  uint64
	ready editReady
	text  string
	err   error
}

// editor is the user's editor command: $VISUAL, then $EDITOR.
func (a *App) editor() string {
	get := a.opts.Getenv
	if get == nil {
		get = os.Getenv
	}
	if v := strings.TrimSpace(get("VISUAL")); v != "" {
		return v
	}
	return strings.TrimSpace(get("EDITOR"))
}

// edit starts an edit for page (Env.Edit).
func (a *App) edit(page uint64, title, initial string, limit int, done func(string) tea.Cmd) {
	ed := a.editor()
	if ed == "" {
		a.push(dialog.NewTextArea(title, "No $EDITOR or $VISUAL is set: write it here.", initial, limit, done), page)
		return
	}
	a.later(func() tea.Msg { // the file is written off the Update path
		r := editReady{page: page, editor: ed, title: title, initial: initial, limit: limit, done: done}
		f, err := os.CreateTemp("", "hubtui-*.md") // 0600
		if err != nil {
			r.err = err
			return r
		}
		r.path = f.Name()
		if _, err := f.WriteString(initial); err != nil {
			r.err = err
		}
		if err := f.Close(); err != nil && r.err == nil {
			r.err = err
		}
		if r.err != nil {
			_ = os.Remove(r.path)
		}
		return r
	})
}

// onEditReady runs the editor on the file, giving it the terminal.
func (a *App) onEditReady(r editReady) tea.Cmd {
	if r.err != nil {
		return a.editFallback(r, r.initial, fmt.Errorf("could not write a file for the editor: %w", r.err))
	}
	args := strings.Fields(r.editor) // "code -w" and the like
	cmd := exec.Command(args[0], append(args[1:], r.path)...)
	run := a.opts.Exec
	if run == nil {
		run = tea.ExecProcess
	}
	return run(cmd, func(err error) tea.Msg {
		b, rerr := os.ReadFile(r.path)
		_ = os.Remove(r.path)
		if err == nil {
			err = rerr
		}
		return editDone{page: r.page, ready: r, text: string(b), err: err}
	})
}

// onEditDone hands the text to the page, or falls back to the text area
// with what there is, so nothing typed is lost.
func (a *App) onEditDone(m editDone) tea.Cmd {
	if _, ok := a.pages[m.page]; !ok {
		return nil
	}
	if m.err != nil {
		text := m.text
		if text == "" {
			text = m.ready.initial
		}
		return a.editFallback(m.ready, text, fmt.Errorf("editor %s: %w", m.ready.editor, m.err))
	}
	return address(m.page, m.ready.done(m.text))
}

// editFallback says why the editor did not do and opens the text area.
func (a *App) editFallback(r editReady, text string, err error) tea.Cmd {
	a.setErr(err)
	a.push(dialog.NewTextArea(r.title, "The editor did not work ("+err.Error()+"); write it here.", text, r.limit, r.done), r.page)
	return nil
}
