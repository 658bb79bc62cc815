package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// token kinds of the HTML the renderer produces.
const (
	tkText  = iota // one rune or one entity (&amp;)
	tkOpen         // <b>, <a href="…">, <pre>
	tkClose        // </b>
	tkNewline
	tkSpace
)

type htmlToken struct {
	kind int
	s    string
	name string // tag name for tkOpen/tkClose
	n    int    // length in UTF-16 units
}

func tokenize(s string) []htmlToken {
	var out []htmlToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 { // cannot happen with our renderer; keep it as text
				out = append(out, htmlToken{kind: tkText, s: "&lt;", n: 4})
				i++
				continue
			}
			tag := s[i : i+j+1]
			t := htmlToken{kind: tkOpen, s: tag, n: utf16Len(tag)}
			body := strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">")
			if strings.HasPrefix(body, "/") {
				t.kind, body = tkClose, body[1:]
			}
			t.name, _, _ = strings.Cut(body, " ")
			out = append(out, t)
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				j = 0
			}
			out = append(out, htmlToken{kind: tkText, s: s[i : i+j+1], n: j + 1})
			i += j + 1
		case '\n':
			out = append(out, htmlToken{kind: tkNewline, s: "\n", n: 1})
			i++
		case ' ':
			out = append(out, htmlToken{kind: tkSpace, s: " ", n: 1})
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			out = append(out, htmlToken{kind: tkText, s: s[i : i+size], n: utf16.RuneLen(r)})
			i += size
		}
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// splitHTML cuts well-formed HTML into parts of at most limit UTF-16 units.
// It cuts at a line break when one falls in the second half of a part, else
// at a space, else between two characters; never inside a tag or an entity.
// Tags open at a cut are closed at the end of the part and reopened (with
// their attributes) at the start of the next, so a <pre> table continues.
func splitHTML(s string, limit int) []string {
	if utf16Len(s) <= limit {
		return []string{s}
	}
	toks := tokenize(s)
	var (
		parts []string
		open  []htmlToken // tags open at the start of the current part
	)
	for start := 0; start < len(toks); {
		stack := append([]htmlToken(nil), open...)
		size := 0
		for _, t := range stack {
			size += t.n
		}
		type cut struct {
			at    int // first token of the next part
			end   int // end of this part (exclusive)
			stack []htmlToken
		}
		var nl, sp, any cut
		end := start
		for ; end < len(toks); end++ {
			t := toks[end]
			next := stack
			switch t.kind {
			case tkOpen:
				next = append(append([]htmlToken(nil), stack...), t)
			case tkClose:
				if len(stack) > 0 {
					next = stack[:len(stack)-1]
				}
			}
			if size+t.n+closeLen(next) > limit && end > start {
				break
			}
			switch t.kind {
			case tkNewline:
				nl = cut{end + 1, end, stack}
			case tkSpace:
				sp = cut{end + 1, end, stack}
			}
			size += t.n
			stack = next
			if t.kind == tkText || t.kind == tkClose {
				any = cut{end + 1, end + 1, stack}
			}
		}
		if end == len(toks) {
			parts = appendPart(parts, open, toks[start:end], stack)
			break
		}
		half := start + (end-start)/2
		var c cut
		switch {
		case nl.at > half:
			c = nl
		case sp.at > half:
			c = sp
		case nl.at > start:
			c = nl
		case sp.at > start:
			c = sp
		case any.at > start:
			c = any
		default:
			c = cut{end, end, stack}
		}
		parts = appendPart(parts, open, toks[start:c.end], c.stack)
		open, start = c.stack, c.at
		// Line breaks and spaces at the start of a part are dropped.
		for start < len(toks) && (toks[start].kind == tkNewline || toks[start].kind == tkSpace) && !inPre(open) {
			start++
		}
	}
	return parts
}

func inPre(stack []htmlToken) bool {
	for _, t := range stack {
		if t.name == "pre" || t.name == "code" {
			return true
		}
	}
	return false
}

func closeLen(stack []htmlToken) int {
	n := 0
	for _, t := range stack {
		n += len(t.name) + 3
	}
	return n
}

// appendPart renders open tags, the tokens, and closes the tags left open;
// a part with no visible text is skipped.
func appendPart(parts []string, open, toks []htmlToken, stack []htmlToken) []string {
	var b strings.Builder
	visible := false
	for _, t := range open {
		b.WriteString(t.s)
	}
	for _, t := range toks {
		b.WriteString(t.s)
		if t.kind == tkText {
			visible = true
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteString("</" + stack[i].name + ">")
	}
	if !visible {
		return parts
	}
	s := strings.TrimRight(b.String(), "\n ")
	return append(parts, s)
}
