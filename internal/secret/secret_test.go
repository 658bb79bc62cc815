package secret

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

const (
	telegramToken = "7312345678:AAHfRedactMe_0123456789abcdefXYZ"
	discordToken  = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.RedactMe_0123456789-abcdefXYZ"
)

func TestRedactorForms(t *testing.T) {
	r := NewRedactor(telegramToken, "Bot "+discordToken, "")
	q := url.QueryEscape(telegramToken)
	tests := []struct{ name, in, want string }{
		{"literal", "Post https://api.telegram.org/bot" + telegramToken + "/getMe", "Post https://api.telegram.org/bot<token>/getMe"},
		{"query escape", "GET /bot" + q + "/getMe", "GET /bot<token>/getMe"},
		{"lower-case hex", "GET /bot" + lowerHex(q) + "/x", "GET /bot<token>/x"},
		{"mixed-case hex", "7312345678%3aAAHfRedactMe_0123456789abcdefXYZ", "<token>"},
		{"path escape", "/bot" + url.PathEscape(telegramToken), "/bot<token>"},
		{"escaped twice", "next=" + url.QueryEscape("https://x/bot"+q), "next=https%3A%2F%2Fx%2Fbot<token>"},
		{"discord literal", "token " + discordToken + " end", "token <token> end"},
		{"Bot header value", `"Authorization":"Bot ` + discordToken + `"`, `"Authorization":"<token>"`},
		{"header line", "Authorization: Bot " + discordToken + "\nHost: x", "Authorization: <token>\nHost: x"},
		{"unknown credential in a header", "authorization=Bearer abc.def-123&x=1", "authorization=<token>&x=1"},
		{"Go header map", "map[Authorization:[Bot secret-old-token] User-Agent:[x]]", "map[Authorization:[<token>] User-Agent:[x]]"},
		{"escaped JSON", `{\"Authorization\":\"Bot zzz\"}`, `{\"Authorization\":\"<token>\"}`},
		{"prose is left alone", "missing Authorization header", "missing Authorization header"},
		{"nothing", "plain line", "plain line"},
		{"idempotent", "<token> <token>", "<token> <token>"},
	}
	for _, tc := range tests {
		if got := r.String(tc.in); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	var none *Redactor
	if got := none.String("Authorization: Bot x " + telegramToken); got != "Authorization: <token> "+telegramToken || none.String(got) != got {
		t.Errorf("nil redactor: %q", got)
	}
}

type tokenURL struct{ u *url.URL }

func (t tokenURL) String() string { return t.u.String() }

// Every log record passes through Handler: message, attributes of every
// kind, With attributes and groups.
func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil), NewRedactor(telegramToken, discordToken)))
	u, _ := url.Parse("https://api.telegram.org/bot" + url.PathEscape(telegramToken) + "/getMe")
	log = log.With("endpoint", "https://x/bot"+telegramToken)
	log.WithGroup("req").Error("failed for "+discordToken,
		"err", fmt.Errorf("wrapped: %w", errors.New("Post \"/bot"+url.QueryEscape(telegramToken)+"\"")),
		"url", u,
		"stringer", tokenURL{u},
		"body", []byte(`{"Authorization":"Bot `+discordToken+`"}`),
		slog.Group("headers", "auth", "Bot "+discordToken),
		"count", 3,
		"lazy", slog.AnyValue(lazy{}),
	)
	out := buf.String()
	for _, f := range []string{telegramToken, url.QueryEscape(telegramToken), url.PathEscape(telegramToken), discordToken} {
		if strings.Contains(out, f) {
			t.Errorf("%q in %s", f, out)
		}
	}
	for _, want := range []string{"msg=\"failed for <token>\"", "endpoint=https://x/bot<token>", "req.count=3", "req.headers.auth=\"Bot <token>\"", "wrapped: Post"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in %s", want, out)
		}
	}
	if !log.Enabled(t.Context(), slog.LevelInfo) || log.Enabled(t.Context(), slog.LevelDebug) {
		t.Error("Enabled must follow the wrapped handler")
	}
}

type lazy struct{}

func (lazy) LogValue() slog.Value { return slog.StringValue("resolved " + telegramToken) }

// lowerHex writes the hex digits of %XX escapes in lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '%' && i+2 < len(b) {
			copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
		}
	}
	return string(b)
}

// tokenLike: what Discord and Telegram tokens are made of.
func tokenLike(s string) bool {
	if len(s) < 8 || strings.Contains(Placeholder, s) {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(":._-", c)) {
			return false
		}
	}
	return true
}

// FuzzRedact: whatever the text, no form of a token-like secret survives,
// redacting twice changes nothing more, and text without secrets or headers
// comes back as it was.
func FuzzRedact(f *testing.F) {
	f.Add("GET /bot7312345678%3AAAHf/getMe", "7312345678:AAHf")
	f.Add(`{"Authorization":"Bot abcdefgh"}`, "abcdefgh")
	f.Add("aaaaaaaaaaaaaaaaaaaaa", "aaaaaaaa")
	f.Add("authorization:", "x")
	f.Add("x%3a%3A%3", "a:b:c:d:e")
	f.Add("0AA000Aa7312345678%3AAAHf", "A")
	f.Fuzz(func(t *testing.T, text, sec string) {
		r := NewRedactor(sec)
		got := r.String(text)
		if tokenLike(sec) {
			if r.String(got) != got {
				t.Errorf("not idempotent: %q -> %q -> %q", text, got, r.String(got))
			}
			for _, f := range []string{sec, url.QueryEscape(sec), lowerHex(url.QueryEscape(sec)), url.PathEscape(sec)} {
				if strings.Contains(got, f) {
					t.Errorf("%q survives in %q (from %q)", f, got, text)
				}
			}
		}
		explained := strings.Contains(strings.ToLower(text), "authorization")
		for _, f := range r.forms {
			explained = explained || strings.Contains(lowerHex(text), lowerHex(f))
		}
		if !explained && got != text {
			t.Errorf("changed text with no secret: %q -> %q", text, got)
		}
	})
}
