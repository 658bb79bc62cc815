package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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
	if d.ctx != nil {
		req = req.WithContext(d.ctx())
	}
	resp, err := d.c.Do(req)
	if err != nil {
		return nil, redactErr(err, d.token)
	}
	return resp, nil
}

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
