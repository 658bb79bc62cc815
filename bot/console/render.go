// Package console is the bot's default adapter: questions on stdin, answers
// on stdout, in plain text.
package console

import (
	"fmt"
	"strings"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/textable"
)

// Render turns a reply into plain text for a terminal; w writes "Try:" in
// the reply's language.
func Render(r reply.Reply, w i18n.Printer) string {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString(r.Title)
		b.WriteByte('\n')
	}
	if r.Summary != "" {
		b.WriteString(r.Summary)
		b.WriteByte('\n')
	}
	tries := r.Choices
	if len(tries) == 0 {
		for _, a := range r.Actions {
			tries = append(tries, strings.TrimSpace(a.Command+" "+a.Args))
		}
	}
	for _, f := range r.Fields {
		v := strings.ReplaceAll(f.Value, "\n", "\n    ")
		if strings.Contains(f.Value, "\n") {
			fmt.Fprintf(&b, "  %s:\n    %s\n", f.Name, v)
		} else {
			fmt.Fprintf(&b, "  %s: %s\n", f.Name, v)
		}
	}
	if r.Table != nil {
		b.WriteString(table(*r.Table))
	}
	for _, l := range r.Lines {
		fmt.Fprintf(&b, "  - %s\n", l)
	}
	if r.Pager != nil && r.Pager.Pages > 1 {
		p := *r.Pager
		var nav []string
		if p.HasPrev() {
			nav = append(nav, fmt.Sprintf("previous: %s %s %d", p.Command, p.Args, p.Page-1))
		}
		if p.HasNext() {
			nav = append(nav, fmt.Sprintf("next: %s %s %d", p.Command, p.Args, p.Page+1))
		}
		fmt.Fprintf(&b, "  Page %d of %d (%s)\n", p.Page, p.Pages, strings.Join(nav, "; "))
	}
	for _, l := range r.Links {
		fmt.Fprintf(&b, "  %s\n", w.T("link.line", "Label", l.Label, "URL", l.URL))
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "  %s\n", r.Note)
	}
	if len(tries) > 0 {
		fmt.Fprintf(&b, "  %s\n", w.T("try", "List", strings.Join(tries, " · ")))
	}
	if r.Footer != "" {
		fmt.Fprintf(&b, "  %s\n", r.Footer)
	}
	return b.String()
}

// table lays rows out in aligned columns, indented under the answer.
func table(t reply.Table) string {
	var b strings.Builder
	for _, l := range textable.Lines(t, textable.Options{Gap: 2}) {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
