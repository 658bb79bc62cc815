package telegram

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// An error that reaches the outbox or a person (not only the log) carries
// no form of the token: a redirect writes its ':' as %3A or %3a.
func TestRedactEscapedToken(t *testing.T) {
	const token = "7312345678:AAHfRedactMe_0123456789abcdefXYZ"
	q := url.QueryEscape(token)
	for _, u := range []string{"http://h/bot" + q + "/getMe", "http://h/bot" + strings.Replace(q, "%3A", "%3a", 1) + "/getMe"} {
		err := redactErr(&url.Error{Op: "Post", URL: u, Err: errors.New("dial tcp: refused")}, token)
		if s := err.Error(); strings.Contains(s, "AAHfRedactMe") || !strings.Contains(s, "http://h/bot<token>/getMe") {
			t.Errorf("redacted: %s", s)
		}
		o := classify(1, errors.New("Post "+u+": EOF"), 0, token)
		if strings.Contains(o.err.Description, "AAHfRedactMe") {
			t.Errorf("sendError description: %s", o.err.Description)
		}
	}
}
