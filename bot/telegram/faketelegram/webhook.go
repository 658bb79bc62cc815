package faketelegram

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Webhooks, as the Bot API runs them: after setWebhook, getUpdates fails
// with 409 Conflict, and every pending update is POSTed as JSON to the URL,
// with the secret_token in X-Telegram-Bot-Api-Secret-Token, up to
// max_connections (default 40) at once. An update is forgotten after a 2xx
// answer; any other answer, or none, is retried (after WebhookRetry) and
// shown in getWebhookInfo's last_error_*. deleteWebhook stops deliveries
// (drop_pending_updates=true also drops what is pending); getUpdates works
// again.

// secretHeader carries the webhook's secret_token.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// DefaultWebhookRetry is how long the fake waits before delivering an
// update again after a failed delivery (Telegram waits longer; tests need
// it short).
const DefaultWebhookRetry = 50 * time.Millisecond

// webhook is the registered webhook; url "" when none.
type webhook struct {
	url, secret string
	maxConn     int
	gen         int // bumped by setWebhook and deleteWebhook: stops older deliverers
	retry       time.Duration
	inflight    map[int]bool
	retryAt     map[int]time.Time
	lastErr     string
	lastErrAt   time.Time
	deliveries  []Delivery
	sent        map[int]json.RawMessage // delivered updates, for Redeliver
}

// Delivery is one POST of an update to the webhook.
type Delivery struct {
	UpdateID int
	Status   int    // the bot's HTTP status; 0 when no answer came
	Err      string // why no answer came
	Took     time.Duration
	At       time.Time
}

// WithWebhookRetry sets the wait before a failed delivery is tried again.
func WithWebhookRetry(d time.Duration) Option { return func(s *Server) { s.hook.retry = d } }

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(r *http.Request) (any, *apiError) {
	c := newCall("setWebhook", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := url.Parse(r.PostForm.Get("url"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		// Telegram takes https only; the fake takes http on loopback too.
		return nil, s.rejectLocked(c, badRequest("bad webhook: An HTTPS URL must be provided for webhook"))
	}
	secret := r.PostForm.Get("secret_token")
	if secret != "" && !secretToken.MatchString(secret) {
		return nil, s.rejectLocked(c, badRequest("secret token contains unallowed characters"))
	}
	maxConn := 40
	if n, ok := formInt64(r, "max_connections"); ok {
		if n < 1 || n > 100 {
			return nil, s.rejectLocked(c, badRequest("bad webhook: max_connections must be 1-100"))
		}
		maxConn = int(n)
	}
	if v := r.PostForm.Get("allowed_updates"); v != "" && v != "null" {
		var allowed []string
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, s.rejectLocked(c, badRequest("can't parse allowed_updates"))
		}
		s.allowed = allowed
	}
	if r.PostForm.Get("drop_pending_updates") == "true" {
		s.updates = nil
	}
	s.hook.url, s.hook.secret, s.hook.maxConn = u.String(), secret, maxConn
	s.hook.gen++
	s.hook.inflight, s.hook.retryAt = map[int]bool{}, map[int]time.Time{}
	s.hook.lastErr, s.hook.lastErrAt = "", time.Time{}
	go s.deliverLoop(s.hook.gen)
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteWebhook(r *http.Request) (any, *apiError) {
	c := newCall("deleteWebhook", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PostForm.Get("drop_pending_updates") == "true" {
		s.updates = nil
	}
	s.hook.url, s.hook.secret = "", ""
	s.hook.gen++
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return true, nil
}

// WebhookInfo is getWebhookInfo's result.
type WebhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	LastErrorDate        int64    `json:"last_error_date,omitempty"`
	LastErrorMessage     string   `json:"last_error_message,omitempty"`
	MaxConnections       int      `json:"max_connections,omitempty"`
	AllowedUpdates       []string `json:"allowed_updates,omitempty"`
}

func (s *Server) getWebhookInfo(r *http.Request) (any, *apiError) {
	c := newCall("getWebhookInfo", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return s.webhookInfoLocked(), nil
}

func (s *Server) webhookInfoLocked() WebhookInfo {
	info := WebhookInfo{URL: s.hook.url, PendingUpdateCount: len(s.updates), AllowedUpdates: slices.Clone(s.allowed)}
	if s.hook.url != "" {
		info.MaxConnections = s.hook.maxConn
		info.LastErrorMessage = s.hook.lastErr
		if !s.hook.lastErrAt.IsZero() {
			info.LastErrorDate = s.hook.lastErrAt.Unix()
		}
	}
	return info
}

// Webhook returns what getWebhookInfo would, and the secret registered.
func (s *Server) Webhook() (WebhookInfo, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookInfoLocked(), s.hook.secret
}

// Deliveries returns every delivery attempt so far, in the order answered.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hook.deliveries)
}

// Deliveries is Server.Deliveries without locking.
func (v View) Deliveries() []Delivery { return v.s.hook.deliveries }

// Redeliver queues an update already delivered once more, as Telegram does
// when the bot's 200 was lost on the way; false if it was never delivered.
func (s *Server) Redeliver(updateID int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, ok := s.hook.sent[updateID]
	if !ok {
		return false
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields)
	k := ""
	for name := range fields {
		if name != "update_id" {
			k = name
		}
	}
	s.updates = append(s.updates, update{id: updateID, kind: k, raw: raw})
	s.notifyLocked()
	return true
}

// deliverLoop POSTs pending updates to the webhook of generation gen until
// it changes or the server closes.
func (s *Server) deliverLoop(gen int) {
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	for {
		s.mu.Lock()
		if s.hook.gen != gen {
			s.mu.Unlock()
			return
		}
		now := time.Now()
		var wake time.Duration
		for _, u := range s.updates {
			if len(s.hook.inflight) >= s.hook.maxConn {
				break
			}
			if s.hook.inflight[u.id] {
				continue
			}
			if len(s.allowed) > 0 && !slices.Contains(s.allowed, u.kind) {
				continue
			}
			if at, ok := s.hook.retryAt[u.id]; ok && at.After(now) {
				if d := at.Sub(now); wake == 0 || d < wake {
					wake = d
				}
				continue
			}
			s.hook.inflight[u.id] = true
			go s.deliver(client, gen, u, s.hook.url, s.hook.secret)
		}
		ch := s.changed
		s.mu.Unlock()
		if wake <= 0 {
			wake = time.Hour
		}
		t := time.NewTimer(wake)
		select {
		case <-ch:
		case <-t.C:
		case <-s.closing:
			t.Stop()
			return
		}
		t.Stop()
	}
}

// deliver POSTs one update and records what the bot answered.
func (s *Server) deliver(client *http.Client, gen int, u update, target, secret string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := Delivery{UpdateID: u.id, At: time.Now()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(u.raw))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(secretHeader, secret)
		}
		var resp *http.Response
		resp, err = client.Do(req)
		if err == nil {
			d.Status = resp.StatusCode
			resp.Body.Close()
		}
	}
	d.Took = time.Since(d.At)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hook.gen == gen {
		delete(s.hook.inflight, u.id)
	}
	switch {
	case err != nil:
		d.Err = err.Error()
	case d.Status < 200 || d.Status > 299:
		d.Err = "Wrong response from the webhook: " + strconv.Itoa(d.Status) + " " + http.StatusText(d.Status)
	}
	s.hook.deliveries = append(s.hook.deliveries, d)
	if d.Err == "" {
		i := slices.IndexFunc(s.updates, func(p update) bool { return p.id == u.id })
		if i >= 0 {
			s.updates = slices.Delete(s.updates, i, i+1)
		}
		if s.hook.sent == nil {
			s.hook.sent = map[int]json.RawMessage{}
		}
		s.hook.sent[u.id] = u.raw
		delete(s.hook.retryAt, u.id)
	} else {
		s.hook.lastErr, s.hook.lastErrAt = d.Err, time.Now()
		retry := s.hook.retry
		if retry <= 0 {
			retry = DefaultWebhookRetry
		}
		if s.hook.retryAt != nil {
			s.hook.retryAt[u.id] = time.Now().Add(retry)
		}
	}
	s.notifyLocked()
}
