package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
)

// doer is the tgbotapi.HTTPClient the bot uses: it binds requests to a
// context (so Run can abort a long poll, and a stop every call still in
// flight) and removes the token from errors, since tgbotapi puts it in
// every URL.
type doer struct {
	c     *http.Client
	ctx   func() context.Context // nil: no context beyond the client's timeout
	token string
}

// bound returns a doer whose requests end with ctx.
func bound(c *http.Client, ctx context.Context, token string) doer {
	return doer{c: c, ctx: func() context.Context { return ctx }, token: token}
}

func (d doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if d.ctx != nil {
		ctx = d.ctx()
	}
	// Whether the request started to go out decides if a failure may hide
	// a delivery (see classify).
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { written.Store(true) }})
	resp, err := d.c.Do(req.WithContext(ctx))
	if err != nil {
		return nil, &wireError{written: written.Load(), err: redactErr(err, d.token)}
	}
	return resp, nil
}

// wireError is a call that got no HTTP answer. written: its headers were
// written to a connection, so Telegram may have received it; when false it
// never left (no connection: refused, no route, DNS).
type wireError struct {
	written bool
	err     error
}

func (e *wireError) Error() string { return e.err.Error() }
func (e *wireError) Unwrap() error { return e.err }

// redactErr strips the token from a *url.Error's URL and from any other
// error's text.
func redactErr(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redact(ue.URL, token), Err: safeErr{ue.Err, token}}
	}
	return safeErr{err, token}
}

// safeErr wraps an error whose text may hold the token.
type safeErr struct {
	err   error
	token string
}

func (e safeErr) Error() string { return redact(e.err.Error(), e.token) }
func (e safeErr) Unwrap() error { return e.err }
