package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is Discord's REST base, the one discordgo's endpoints use.
const DefaultAPIURL = "https://discord.com/api/v9/"

// rewriteTransport sends every request aimed at discordgo's REST base
// (discordgo.EndpointAPI, read once at construction and never written) to
// another base URL, keeping the rest of the path and the query. Gateway
// discovery is a REST call (GET …/gateway), so it follows too and the fake or
// proxy decides which websocket URL the session dials.
type rewriteTransport struct {
	from string   // e.g. https://discord.com/api/v9/
	to   *url.URL // ends with "/"
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	u := r.URL.String()
	if !strings.HasPrefix(u, t.from) {
		return t.next.RoundTrip(r)
	}
	nu, err := url.Parse(t.to.String() + strings.TrimPrefix(u, t.from))
	if err != nil {
		return nil, fmt.Errorf("discord: rewrite request URL: %w", err)
	}
	r2 := r.Clone(r.Context())
	r2.URL = nu
	r2.Host = ""
	return t.next.RoundTrip(r2)
}

// parseAPIURL checks a DISCORD_API_URL value and gives it a trailing slash.
func parseAPIURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultAPIURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("discord: API URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q: want http(s)://host/path/", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("discord: API URL %q: no query, fragment or credentials allowed", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// httpClient returns the client every discordgo session of the bot uses:
// base's settings (or discordgo's 20 s timeout) with a transport that routes
// Discord's REST base to api.
func httpClient(base *http.Client, api *url.URL) *http.Client {
	c := &http.Client{Timeout: defaultHTTPTimeout}
	next := http.DefaultTransport
	if base != nil {
		*c = *base
		if base.Transport != nil {
			next = base.Transport
		}
		if c.Timeout == 0 {
			c.Timeout = defaultHTTPTimeout
		}
	}
	c.Transport = next
	if api.String() != discordgo.EndpointAPI {
		c.Transport = &rewriteTransport{from: discordgo.EndpointAPI, to: api, next: next}
	}
	return c
}

// apiErr is a failed REST call as the bot reports it (in logs, and in the
// outbox, whose errors /subscriptions shows): naming the API base the bot
// was configured with, and holding no token. The HTTP client names the URL
// discordgo built, under discord.com, whatever host the call went to; an
// error answer may echo the Authorization header.
type apiErr struct {
	err  error
	text string
}

func (e *apiErr) Error() string { return e.text }
func (e *apiErr) Unwrap() error { return e.err }

// apiError rewrites err's text for reporting; errors.As still finds the
// discordgo error inside.
func (b *Bot) apiError(err error) error {
	var done *apiErr
	if err == nil || errors.As(err, &done) {
		return err
	}
	s := err.Error()
	if base := b.api.String(); base != discordgo.EndpointAPI {
		s = strings.ReplaceAll(s, discordgo.EndpointAPI, base)
	}
	return &apiErr{err: err, text: b.secrets.String(s)}
}

// boundTransport ends every request when ctx ends, as well as when its own
// context does (the client's timeout): discordgo's Open makes its gateway
// lookup without a context.
type boundTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t boundTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(r.Context())
	stop := context.AfterFunc(t.ctx, cancel)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		stop()
		cancel()
		return nil, err
	}
	resp.Body = &boundBody{ReadCloser: resp.Body, release: func() { stop(); cancel() }}
	return resp, nil
}

// boundBody releases its request's context once closed.
type boundBody struct {
	io.ReadCloser
	release func()
}

func (b *boundBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// boundClient returns a copy of c whose requests end when ctx ends.
func boundClient(c *http.Client, ctx context.Context) *http.Client {
	bc := *c
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	bc.Transport = boundTransport{ctx: ctx, next: next}
	return &bc
}
