package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/domain"
)

// Webhooks (TELEGRAM_WEBHOOK_URL): Telegram POSTs each update to the bot's
// URL with the secret_token given to setWebhook in a header, and retries
// until it gets a 2xx. WebhookHandler answers 200 only once the update is
// in Config.Inbox, the same table long polling keeps updates in until they
// are answered, so a delivery repeated (the 200 was lost, or two replicas
// got it) is recognised by its update_id there and answered once.
//
// go-telegram-bot-api v5.5.1 knows neither secret_token (a Bot API 6.x
// field) nor anything of switching modes: its WebhookConfig has no secret,
// ListenForWebhook checks none and uses the global ServeMux, and nothing in
// it ever calls deleteWebhook. So setWebhook goes through MakeRequest with
// our own parameters, and Run deletes a leftover webhook before polling
// (getUpdates fails with 409 Conflict while one is set).

// allowedUpdates are the update kinds the bot asks for, polling or not.
var allowedUpdates = []string{"message", "channel_post", "callback_query", "my_chat_member"}

// SecretHeader is the header carrying setWebhook's secret_token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

const (
	// maxUpdateBody bounds an update's body.
	maxUpdateBody = 1 << 20
	// keepTimeout bounds storing one update before answering Telegram.
	keepTimeout = 10 * time.Second
	// forgetAfter: Telegram keeps an update no longer than 24 hours, so an
	// update_id seen more than this long ago is never delivered again and
	// its answered row may go (see horizon).
	forgetAfter = 25 * time.Hour
)

// hookState is what webhook mode and readiness share between Run and the
// handler.
type hookState struct {
	intake     atomic.Pointer[intake] // the running intake (webhook mode)
	identified atomic.Bool            // Run is serving: getMe answered
	registered atomic.Bool            // setWebhook succeeded
	pollErr    atomic.Pointer[string] // the last getUpdates failure; nil after a success
	horizon    horizon

	mu    sync.Mutex
	ready chan struct{} // closed once the current Run serves
}

func (h *hookState) init() { h.ready = make(chan struct{}) }

// starting begins a Run: Serving waits for it to serve.
func (h *hookState) starting() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.ready:
		h.ready = make(chan struct{}) // a run before this one served
	default:
	}
}

// serving marks the Run as taking updates (from in, for webhooks).
func (h *hookState) serving(in *intake) {
	h.intake.Store(in)
	h.identified.Store(true)
	h.mu.Lock()
	close(h.ready)
	h.mu.Unlock()
}

func (h *hookState) stopped() {
	h.intake.Store(nil)
	h.identified.Store(false)
	h.pollErr.Store(nil)
}

func (h *hookState) polled(err error) {
	if err == nil {
		h.pollErr.Store(nil)
		return
	}
	msg := err.Error()
	h.pollErr.Store(&msg)
}

// Serving returns a channel closed once Run has identified the bot and
// takes updates: the moment to call SetWebhook.
func (b *Bot) Serving() <-chan struct{} {
	b.hook.mu.Lock()
	defer b.hook.mu.Unlock()
	return b.hook.ready
}

// Ready reports whether the bot takes updates: Run is serving, and its
// last getUpdates succeeded or, with a webhook, SetWebhook did (or, in a
// fleet, another replica registers it: Config.Registers).
func (b *Bot) Ready() error {
	if !b.hook.identified.Load() {
		return errors.New("not started (getMe has not answered)")
	}
	if b.cfg.WebhookURL != "" {
		if b.cfg.Registers != nil && !b.cfg.Registers() {
			return nil // another replica registers it
		}
		if !b.hook.registered.Load() {
			return errors.New("webhook not registered (setWebhook has not succeeded)")
		}
		return nil
	}
	if e := b.hook.pollErr.Load(); e != nil {
		return errors.New("getUpdates failing: " + *e)
	}
	return nil
}

// SetWebhook registers Config.WebhookURL with Telegram, with the secret
// and the update kinds the bot handles; pending updates are kept. Call it
// once Run serves (Serving), so the first deliveries find it ready: only
// one replica of several needs to (later, the leader).
func (b *Bot) SetWebhook(ctx context.Context) error {
	if b.cfg.WebhookURL == "" {
		return errors.New("telegram: no webhook URL configured")
	}
	allowed, _ := json.Marshal(allowedUpdates)
	_, err := b.apiWith(ctx).MakeRequest("setWebhook", tgbotapi.Params{
		"url": b.cfg.WebhookURL, "secret_token": b.cfg.WebhookSecret, "allowed_updates": string(allowed),
		"drop_pending_updates": "false",
	})
	if err != nil {
		return errors.New("telegram: setWebhook: " + redact(err.Error(), b.cfg.Token))
	}
	b.hook.registered.Store(true)
	b.log.Info("telegram: webhook registered", "url", b.cfg.WebhookURL)
	return nil
}

// dropWebhook deletes a webhook a webhook-mode run left registered, before
// long polling; an error wrapping ErrFatal when the token is refused.
func (b *Bot) dropWebhook(ctx context.Context) error {
	api := b.apiWith(ctx)
	info, err := api.GetWebhookInfo()
	if err != nil {
		if f := fatal("getWebhookInfo", err); f != nil {
			return f
		}
		if ctx.Err() == nil {
			b.log.Warn("telegram: cannot check for a webhook; polling anyway", "err", redact(err.Error(), b.cfg.Token))
		}
		return nil
	}
	if info.URL == "" {
		return nil
	}
	if _, err := api.Request(tgbotapi.DeleteWebhookConfig{DropPendingUpdates: false}); err != nil {
		if f := fatal("deleteWebhook", err); f != nil {
			return f
		}
		b.log.Error("telegram: cannot delete the webhook; getUpdates will fail until it is", "url", info.URL, "err", redact(err.Error(), b.cfg.Token))
		return nil
	}
	b.log.Info("telegram: webhook deleted: long polling now (TELEGRAM_WEBHOOK_URL is not set)", "was", info.URL, "pending", info.PendingUpdateCount)
	return nil
}

// WebhookHandler serves Telegram's POSTs to Config.WebhookURL (mount it at
// /telegram/webhook). It answers 401 without the right secret header, 200
// once the update is kept in the inbox (or was already), and 503 or 500
// when it could not be kept (not running, too many updates in hand, the
// store failing), so that Telegram delivers it again.
func (b *Bot) WebhookHandler() http.Handler { return http.HandlerFunc(b.serveWebhook) }

// Errors of taking one update.
var (
	errNotServing = errors.New("not taking updates")
	errTooMany    = errors.New("too many updates in hand")
)

func (b *Bot) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	got := []byte(r.Header.Get(SecretHeader))
	if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare(got, []byte(b.cfg.WebhookSecret)) != 1 {
		b.log.Debug("telegram: webhook request without the secret refused", "remote", r.RemoteAddr)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBody))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusBadRequest)
		return
	}
	var head struct {
		UpdateID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.UpdateID == nil {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	in := b.hook.intake.Load()
	if in == nil {
		http.Error(w, errNotServing.Error(), http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), keepTimeout)
	defer cancel()
	switch err := in.take(ctx, *head.UpdateID, raw); {
	case err == nil:
		w.WriteHeader(http.StatusOK)
	case errors.Is(err, errNotServing), errors.Is(err, errTooMany):
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	default:
		b.log.Error("telegram: cannot keep an update; Telegram will deliver it again", "update", *head.UpdateID, "err", err)
		http.Error(w, "cannot keep the update", http.StatusInternalServerError)
	}
}

// take keeps one update delivered by webhook in the inbox and queues it
// unless the inbox held it already; nil means Telegram may forget it.
func (in *intake) take(ctx context.Context, id int64, raw json.RawMessage) error {
	in.mu.Lock()
	stopped, full := in.stopped, len(in.work)+len(in.pending) >= in.b.cfg.MaxTaken
	in.mu.Unlock()
	switch {
	case stopped:
		return errNotServing
	case full:
		return errTooMany
	}
	now := in.b.cfg.Now()
	t := parseTaken(raw, now)
	t.id = id
	return in.keeper.keep(ctx, in, keepReq{t: t, in: domain.Inbound{ID: id, At: now, Body: raw}, done: make(chan error, 1)})
}

// keeper writes the updates delivered at once in one transaction (a group
// commit): Telegram delivers up to 40 at a time, and one write each would
// queue them behind each other on SQLite's single writer.
type keeper struct {
	mu    sync.Mutex
	busy  bool // a caller is writing batches
	queue []keepReq
}

type keepReq struct {
	t    taken
	in   domain.Inbound
	done chan error
}

// keep adds r to the next batch and returns once that batch is written (or
// failed, or ctx ended). The first caller to find nobody writing writes
// batches, its own first, until none is left.
func (k *keeper) keep(ctx context.Context, in *intake, r keepReq) error {
	k.mu.Lock()
	k.queue = append(k.queue, r)
	if !k.busy {
		k.busy = true
		for len(k.queue) > 0 {
			batch := k.queue
			k.queue = nil
			k.mu.Unlock()
			in.keepBatch(batch)
			k.mu.Lock()
		}
		k.busy = false
	}
	k.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // Telegram delivers it again; the inbox knows it if it was written
	}
}

// keepBatch writes a batch to the inbox, queues the updates it did not
// hold, and tells each request how it went.
func (in *intake) keepBatch(batch []keepReq) {
	ctx, cancel := context.WithTimeout(context.Background(), keepTimeout)
	defer cancel()
	rows := make([]domain.Inbound, len(batch))
	var high int64
	for i, r := range batch {
		rows[i] = r.in
		high = max(high, r.in.ID)
	}
	fresh, err := in.b.cfg.Inbox.KeepInbound(ctx, in.source, in.b.hook.horizon.see(rows[0].At, high), rows)
	if err == nil && len(fresh) > 0 {
		in.mu.Lock()
		for _, id := range fresh {
			j := slices.IndexFunc(batch, func(r keepReq) bool { return r.in.ID == id })
			// Deliveries run in parallel: keep the work in update order,
			// so a chat's questions are answered in the order asked.
			i := slices.IndexFunc(in.work, func(w taken) bool { return w.id > id })
			if i < 0 {
				i = len(in.work)
			}
			in.work = slices.Insert(in.work, i, batch[j].t)
		}
		in.notifyLocked()
		in.mu.Unlock()
	}
	for _, r := range batch {
		r.done <- err
	}
}

// horizon tells which update_ids Telegram can no longer deliver: those
// below the highest one seen more than forgetAfter ago (update_ids grow).
// The inbox forgets answered updates below it, as long polling's confirmed
// offset lets it. It starts empty at each start, so nothing is forgotten in
// a process's first day.
type horizon struct {
	mu    sync.Mutex
	marks []mark // the highest id seen, at most once a minute, oldest first
}

type mark struct {
	at time.Time
	id int64
}

// see records id, seen at now, and returns the horizon.
func (h *horizon) see(now time.Time, id int64) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.marks); n == 0 {
		h.marks = append(h.marks, mark{at: now, id: id})
	} else if now.Sub(h.marks[n-1].at) >= time.Minute {
		h.marks = append(h.marks, mark{at: now, id: max(id, h.marks[n-1].id)})
	} else if id > h.marks[n-1].id {
		h.marks[n-1].id = id
	}
	var confirmed int64
	old := 0
	for old < len(h.marks) && now.Sub(h.marks[old].at) > forgetAfter {
		confirmed = max(confirmed, h.marks[old].id)
		old++
	}
	if old > 1 {
		h.marks = slices.Delete(h.marks, 0, old-1) // keep the newest old mark
	}
	return confirmed
}
