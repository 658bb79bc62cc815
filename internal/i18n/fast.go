package i18n

import (
	"strconv"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Every answer says a dozen or more messages, and go-i18n renders each
// through text/template after matching the language again: a fifth of a
// short answer's time and a quarter of its allocations. Every message of
// the catalogs is plain text with {{.Name}} fields, so T writes those
// itself, with the CLDR plural rules of English and French, and leaves
// anything else to go-i18n. TestFastMatchesGoI18n holds the two to the
// same output for every message.

// fastMsg is a message whose forms are all plain text and {{.Name}} fields.
type fastMsg struct {
	one, many, other []segment // nil: the catalog does not give that form
	rules            Lang      // whose plural rules pick the form
}

// segment is literal text, or a field when field is set.
type segment struct{ text, field string }

// compile reads a message for T's fast path; ok is false when a form uses
// more of text/template than fields, or custom delimiters.
func compile(m *goi18n.Message, rules Lang) (*fastMsg, bool) {
	if m.LeftDelim != "" || m.RightDelim != "" || m.Zero != "" || m.Two != "" || m.Few != "" {
		return nil, false
	}
	f := &fastMsg{rules: rules}
	for _, form := range []struct {
		src string
		dst *[]segment
	}{{m.One, &f.one}, {m.Many, &f.many}, {m.Other, &f.other}} {
		if form.src == "" {
			continue
		}
		segs, ok := segments(form.src)
		if !ok {
			return nil, false
		}
		*form.dst = segs
	}
	return f, f.other != nil
}

// segments splits "Latest {{.Cat}} draw" into text and fields.
func segments(src string) ([]segment, bool) {
	segs := []segment{}
	for src != "" {
		i := strings.Index(src, "{{")
		if i < 0 {
			segs = append(segs, segment{text: src})
			break
		}
		if i > 0 {
			segs = append(segs, segment{text: src[:i]})
		}
		j := strings.Index(src[i:], "}}")
		if j < 0 {
			return nil, false
		}
		name, ok := strings.CutPrefix(strings.TrimSpace(src[i+2:i+j]), ".")
		if !ok || !isField(name) || src[i+2] == '-' || src[i+j-1] == '-' {
			return nil, false
		}
		segs = append(segs, segment{field: name})
		src = src[i+j+2:]
	}
	return segs, true
}

func isField(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// fast renders a message as go-i18n would, when it can: the message is in
// the fast table, every name is a string, a Count is an int, and every
// field is given as a string or an int.
func (p Printer) fast(id string, kv []any) (string, bool) {
	m := p.msgs[id]
	if m == nil {
		return "", false
	}
	count, counted := 0, false
	for i := 0; i+1 < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return "", false
		}
		if k == "Count" { // a later Count wins, as in T's map
			if count, counted = kv[i+1].(int); !counted {
				return "", false
			}
		}
	}
	segs := m.other
	if counted {
		// A form the message does not give falls back to other, as in
		// go-i18n.
		switch f := m.form(count); {
		case f == formOne && m.one != nil:
			segs = m.one
		case f == formMany && m.many != nil:
			segs = m.many
		}
	}
	size := 0
	for _, s := range segs {
		size += len(s.text) + 8
	}
	var b strings.Builder
	b.Grow(size)
	for _, s := range segs {
		if s.field == "" {
			b.WriteString(s.text)
			continue
		}
		v, ok := lookup(kv, s.field)
		if !ok {
			return "", false
		}
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case int:
			var buf [20]byte
			b.Write(strconv.AppendInt(buf[:0], int64(v), 10))
		default:
			return "", false
		}
	}
	return b.String(), true
}

// lookup finds name's value among kv pairs; the last one wins, as in T's map.
func lookup(kv []any, name string) (any, bool) {
	for i := len(kv) - 2; i >= 0; i -= 2 {
		if k, _ := kv[i].(string); k == name {
			return kv[i+1], true
		}
	}
	return nil, false
}

type form int

const (
	formOther form = iota
	formOne
	formMany
)

// form is the CLDR plural form of an integer count in the message's
// language, as go-i18n's rules give it: English "one" is 1; French "one"
// is 0 and 1, "many" a non-zero multiple of a million.
func (m *fastMsg) form(n int) form {
	if n < 0 {
		n = -n
	}
	switch {
	case m.rules == FR && n <= 1, m.rules != FR && n == 1:
		return formOne
	case m.rules == FR && n%1000000 == 0:
		return formMany
	}
	return formOther
}
