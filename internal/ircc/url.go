package ircc

import (
	"net/url"
	"strings"
)

const site = "https://www.canada.ca"

// hrefOf returns the href of an HTML anchor such as IRCC's
// "<a href='/content/canadasite/en/...?q=437'>437</a>", or the text itself
// when it holds no anchor.
func hrefOf(s string) string {
	i := indexFold(s, "href=")
	if i < 0 {
		return strings.TrimSpace(s)
	}
	s = s[i+len("href="):]
	if s == "" {
		return ""
	}
	q := s[0]
	if q != '\'' && q != '"' {
		if j := strings.IndexAny(s, " >"); j >= 0 {
			return s[:j]
		}
		return s
	}
	s = s[1:]
	if j := strings.IndexByte(s, q); j >= 0 {
		return s[:j]
	}
	return ""
}

// publicURL turns a feed href into the public canada.ca URL of round number.
// The feed links are site-relative, in the author form
// "/content/canadasite/en/..." or the public form "/en/...". It accepts only
// canada.ca pages that name this round ("?q=437", or "invitations-64.html"
// for rounds 1 to 76), so a bad or foreign link never reaches users.
func publicURL(href, number string) (string, bool) {
	href = strings.TrimSpace(href)
	path, ok := strings.CutPrefix(href, site)
	if !ok && !strings.HasPrefix(href, "/") {
		return "", false // javascript:, http:, other hosts, bare words
	}
	if p, ok := strings.CutPrefix(path, "/content/canadasite"); ok {
		path = p
	}
	if !strings.HasPrefix(path, "/en/") && !strings.HasPrefix(path, "/fr/") {
		return "", false // also refuses "//evil.example" and "/content/dam/..."
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"'<>\`+"`", c) >= 0 {
			return "", false
		}
	}
	u, err := url.Parse(site + path)
	if err != nil || u.Host != "www.canada.ca" || u.User != nil {
		return "", false
	}
	if u.Query().Get("q") != number && !strings.HasSuffix(u.Path, "-"+number+".html") {
		return "", false
	}
	return u.String(), true
}

// indexFold is strings.Index ignoring ASCII case. strings.ToLower would not
// do: it can change the byte length of non-ASCII text, and so the offsets.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
