package discord

import "strings"

// escapeMarkdown makes engine text (plain by contract) render literally in
// Discord markdown: inline markers are backslash-escaped everywhere, block
// markers (headings, quotes, lists) at the start of a line, and "<" so that
// <@id>, <#id> and <t:…> render as text rather than mentions or widgets.
// Discord drops the backslash before any escaped punctuation. Bare http(s)
// URLs are copied verbatim so Discord still links them.
func escapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "\\*_~`|<>#[]-.") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'h' && (strings.HasPrefix(s[i:], "https://") || strings.HasPrefix(s[i:], "http://")) {
			j := i
			for j < len(s) && !isURLEnd(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			i = j - 1
			lineStart = false
			continue
		}
		switch {
		case c == '\\' || c == '*' || c == '_' || c == '~' || c == '`' || c == '|' || c == '<' || c == '[' || c == ']':
			b.WriteByte('\\')
		case lineStart && blockMarker(s[i:]):
			b.WriteByte('\\')
		case lineStart && c >= '0' && c <= '9':
			// "1. item" would become a numbered list: escape the dot.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && s[j] == '.' && (j+1 == len(s) || s[j+1] == ' ') {
				b.WriteString(s[i:j])
				b.WriteString(`\.`)
				i = j
				lineStart = false
				continue
			}
		}
		b.WriteByte(c)
		if c == '\n' {
			lineStart = true
		} else if c != ' ' && c != '\t' {
			lineStart = false
		}
	}
	return b.String()
}

// blockMarker reports whether a line starting with s would be a heading
// ("# ", "## ", "### ", "-# "), a quote ("> ", ">>> ") or a list item ("- ").
func blockMarker(s string) bool {
	switch {
	case strings.HasPrefix(s, "-# "), strings.HasPrefix(s, "- "), strings.HasPrefix(s, "> "), strings.HasPrefix(s, ">>> "):
		return true
	case strings.HasPrefix(s, "#"):
		n := len(s) - len(strings.TrimLeft(s, "#"))
		return n <= 3 && strings.HasPrefix(s[n:], " ")
	}
	return false
}

func isURLEnd(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '<' || c == '>' || c == '"' || c == '`'
}

// escapeCode makes text safe inside a ``` block: only a fence can end it.
func escapeCode(s string) string {
	return strings.ReplaceAll(s, codeFence, "`\u200b`\u200b`")
}
