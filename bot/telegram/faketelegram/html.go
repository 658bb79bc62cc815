package faketelegram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// allowedTags is Telegram's HTML subset (Bot API "HTML style").
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"span": true, "tg-spoiler": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks text the way Telegram's HTML parse mode does, strictly:
// only supported tags, properly nested and closed; every <, > and & that is
// not part of a tag or entity must be escaped; only &lt; &gt; &amp; &quot;
// and numeric entities. It returns the text users see.
func ParseHTML(s string) (string, error) {
	var (
		out   strings.Builder
		stack []string
	)
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if strings.HasPrefix(tag, "/") {
				name := strings.TrimSpace(tag[1:])
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("unmatched end tag %q", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			if !allowedTags[name] {
				return "", fmt.Errorf("unsupported start tag %q", name)
			}
			if name == "a" {
				if !strings.HasPrefix(attrs, `href="`) || !strings.HasSuffix(attrs, `"`) || strings.ContainsAny(attrs[6:len(attrs)-1], `"<>`) {
					return "", fmt.Errorf("bad a tag %q", tag)
				}
			}
			stack = append(stack, name)
		case '>':
			return "", fmt.Errorf("unescaped '>' at byte offset %d", i)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 || j > 10 {
				return "", fmt.Errorf("unescaped '&' at byte offset %d", i)
			}
			ent := s[i+1 : i+j]
			r, ok := entity(ent)
			if !ok {
				return "", fmt.Errorf("unsupported entity &%s;", ent)
			}
			out.WriteString(r)
			i += j + 1
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

func entity(e string) (string, bool) {
	switch e {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "quot":
		return `"`, true
	}
	if strings.HasPrefix(e, "#") {
		var (
			n   int64
			err error
		)
		if strings.HasPrefix(e, "#x") {
			n, err = strconv.ParseInt(e[2:], 16, 32)
		} else {
			n, err = strconv.ParseInt(e[1:], 10, 32)
		}
		if err == nil && n > 0 {
			return string(rune(n)), true
		}
	}
	return "", false
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
