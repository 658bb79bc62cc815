// Package secret keeps credentials out of text the bot writes down: log
// lines, errors stored in the outbox, messages shown to people. A Redactor
// knows the bot's tokens and finds them as typed, URL-escaped (a redirect or
// a proxy writes ':' as %3A or %3a) and inside an Authorization header
// echoed back by a server; Handler applies it to every log record.
package secret

import (
	"net/url"
	"slices"
	"strings"
)

// Placeholder replaces whatever is redacted.
const Placeholder = "<token>"

// Redactor removes a fixed set of secrets from text. The zero value and nil
// redact only Authorization header values.
type Redactor struct {
	forms []string // every written form of every secret, longest first
}

// minSecret is the shortest secret redacted: real tokens are far longer,
// and replacing a short one ("A") everywhere would wreck every line.
const minSecret = 8

// NewRedactor returns a Redactor for the given secrets (bot tokens, with or
// without Discord's "Bot " prefix). Ones shorter than 8 bytes, or that
// Placeholder holds, are ignored.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			r.forms = append(r.forms, s)
		}
	}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if bare, ok := strings.CutPrefix(s, "Bot "); ok {
			s = strings.TrimSpace(bare)
		}
		if len(s) < minSecret || strings.Contains(Placeholder, s) {
			continue
		}
		add(s)
		q, p := url.QueryEscape(s), url.PathEscape(s)
		add(q)
		add(p)
		// Escaped twice: a URL carried inside another URL's query.
		add(url.QueryEscape(q))
		add(url.QueryEscape(p))
	}
	// Longest first, so a form is never half-replaced by a shorter one.
	slices.SortStableFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	return r
}

// String returns s with every form of every secret, and the value of any
// Authorization header, replaced by Placeholder.
func (r *Redactor) String(s string) string {
	// Headers first: "Bot <token>" goes whole, not as "Bot " and a token.
	s = redactAuthorization(s)
	if r != nil {
		for _, f := range r.forms {
			s = replaceEscaped(s, f)
		}
	}
	return s
}

// replaceEscaped replaces every occurrence of form in s, matching the hex
// digits of a %XX escape in either case ("%3A" and "%3a").
func replaceEscaped(s, form string) string {
	if !strings.Contains(form, "%") {
		return strings.ReplaceAll(s, form, Placeholder)
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(form) <= len(s); {
		if matchAt(s, i, form) {
			b.WriteString(s[last:i])
			b.WriteString(Placeholder)
			i += len(form)
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchAt reports whether form occurs in s at i, hex digits after a '%'
// compared without regard to case.
func matchAt(s string, i int, form string) bool {
	hex := 0 // hex digits still to come after a '%'
	for j := 0; j < len(form); j++ {
		a, b := s[i+j], form[j]
		switch {
		case hex > 0:
			hex--
			if lower(a) != lower(b) {
				return false
			}
		case a != b:
			return false
		case b == '%':
			hex = 2
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

const header = "authorization"

// redactAuthorization replaces the value of every "Authorization: …",
// "Authorization=…" or "\"Authorization\":\"…\"" in s, whatever the
// credential, so a server that echoes the request's headers cannot leak
// one the Redactor does not know (an old token, another service's).
func redactAuthorization(s string) string {
	if len(s) < len(header) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(header) <= len(s); i++ {
		if !strings.EqualFold(s[i:i+len(header)], header) {
			continue
		}
		start, end, ok := credential(s, i+len(header))
		if !ok {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(Placeholder)
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// credential finds the value after a header name ending at i: a separator
// (':' or '='), quotes, spaces or '[' around it, an optional scheme word
// ("Bot ", "Bearer ", "Basic "), then the credential itself. ok is false
// when no separator follows (the word in prose: "missing Authorization").
func credential(s string, i int) (start, end int, ok bool) {
	for i < len(s) && (s[i] == '"' || s[i] == '\'' || s[i] == '\\') {
		i++
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || (s[i] != ':' && s[i] != '=') {
		return 0, 0, false
	}
	i++
	for i < len(s) && strings.IndexByte(" \t\"'\\", s[i]) >= 0 {
		i++
	}
	if i < len(s) && s[i] == '[' {
		i++
	}
	if strings.HasPrefix(s[i:], Placeholder) {
		return 0, 0, false // already redacted
	}
	start = i
	for _, scheme := range []string{"bot ", "bearer ", "basic "} {
		if len(s)-i > len(scheme) && strings.EqualFold(s[i:i+len(scheme)], scheme) {
			i += len(scheme)
			break
		}
	}
	end = i
	for end < len(s) && strings.IndexByte(" \t\r\n\"'\\,;&)]}", s[end]) < 0 {
		end++
	}
	if end == i {
		return 0, 0, false
	}
	return start, end, true
}
