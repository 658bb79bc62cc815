package telegram

import (
	"net/url"
	"slices"
	"strings"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// MaxMessage is Telegram's limit on one message's text. Parts are measured
// on their HTML source, which is never shorter than the text after entity
// parsing, in UTF-16 code units as Telegram counts.
const MaxMessage = 4096

// TableWidth is the widest <pre> line: about what a 360-px phone shows in
// a chat bubble without wrapping.
const TableWidth = 30

// escape makes plain text safe for HTML parse mode: &, < and > become
// entities, and an @ that would start a mention gets a word joiner after
// it, so no user text can mention anyone.
func escape(s string) string { return escapeHTML(s, false) }

// escapeAttr escapes a value for a double-quoted attribute.
func escapeAttr(s string) string { return escapeHTML(s, true) }

// escapeHTML is escape, or, for attributes, escape of '"' instead of the
// mention guard. (A loop, not a strings.Replacer built per call: that
// dominated a fan-out's allocations.)
func escapeHTML(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '@' && !attr && i+1 < len(s) && isMentionByte(s[i+1]):
			b.WriteString("@\u2060")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isMentionByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// safeURL reports whether u is an absolute http(s) URL fit for a link.
func safeURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != "" && !strings.ContainsAny(u, " \n\t")
}

func link(label, u string) string {
	if !safeURL(u) {
		return escape(label)
	}
	return `<a href="` + escapeAttr(u) + `">` + escape(label) + `</a>`
}

// renderHTML renders a reply in Telegram's HTML subset: every piece of
// data escaped; blocks separated by blank lines. w writes the adapter's own
// words ("Try:") in the reply's language.
func renderHTML(r reply.Reply, w i18n.Printer) string {
	var blocks []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			blocks = append(blocks, s)
		}
	}
	if t := strings.TrimSpace(r.Title); t != "" {
		add("<b>" + link(t, r.URL) + "</b>")
	}
	// The summary leads straight into the fields and bullets it introduces.
	body := []string{escape(strings.TrimSpace(r.Summary))}

	var fields []string
	for _, f := range r.Fields {
		name, value := strings.TrimSpace(f.Name), strings.TrimSpace(f.Value)
		switch {
		case name == "" && value == "":
			continue
		case name == "":
			fields = append(fields, escape(value))
		default:
			fields = append(fields, "<b>"+escape(name)+":</b> "+escape(value))
		}
	}
	body = append(body, strings.Join(fields, "\n"))

	var lines []string
	for _, l := range r.Lines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, "• "+escape(l))
		}
	}
	body = append(body, strings.Join(lines, "\n"))
	add(strings.Join(slices.DeleteFunc(body, func(s string) bool { return s == "" }), "\n"))

	if r.Table != nil {
		if t := renderTable(*r.Table, TableWidth); t != "" {
			add("<pre>" + escape(t) + "</pre>")
		}
	}

	var links []string
	for _, l := range r.MoreLinks() {
		label := strings.TrimSpace(l.Label)
		if label == "" {
			label = l.URL
		}
		if safeURL(l.URL) {
			links = append(links, "→ "+link(label, l.URL))
		}
	}
	add(strings.Join(links, "\n"))

	if len(r.Choices) > 0 && len(r.Actions) == 0 {
		var cs []string
		for _, c := range r.Choices {
			if cmd := tappable(c); cmd != "" {
				cs = append(cs, cmd)
			}
		}
		if len(cs) > 0 {
			add(w.T("try", "List", strings.Join(cs, " · ")))
		}
	}
	// The note and the source line are one small-print block.
	var small []string
	if n := strings.TrimSpace(r.Note); n != "" {
		small = append(small, "<i>"+escape(n)+"</i>")
	}
	if f := strings.TrimSpace(r.Footer); f != "" {
		small = append(small, "<i>"+escape(f)+"</i>")
	}
	add(strings.Join(small, "\n"))
	if len(blocks) == 0 {
		return escape("(no answer)")
	}
	return strings.Join(blocks, "\n\n")
}

// tappable writes a command line as a command Telegram makes tappable:
// "cutoff healthcare" → "/cutoff_healthcare" (handleMessage reads the
// underscores back as spaces). Lines that cannot be one word are left out.
func tappable(line string) string {
	ws := strings.Fields(strings.ToLower(line))
	if len(ws) == 0 {
		return ""
	}
	cmd := "/" + strings.Join(ws, "_")
	for _, r := range cmd[1:] {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	if len(cmd) > 64 {
		return ""
	}
	return cmd
}
