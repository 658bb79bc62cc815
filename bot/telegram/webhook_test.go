package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/httpserver"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

const testSecret = "s3cret_webhook-TOKEN"

// faultyInbox fails KeepInbound while fail is set: a database that cannot
// be written.
type faultyInbox struct {
	Inbox
	fail  atomic.Bool
	keeps atomic.Int64 // KeepInbound calls
}

func (f *faultyInbox) KeepInbound(ctx context.Context, source string, confirmed int64, in []domain.Inbound) ([]int64, error) {
	f.keeps.Add(1)
	if f.fail.Load() {
		return nil, errors.New("disk I/O error")
	}
	return f.Inbox.KeepInbound(ctx, source, confirmed, in)
}

// hookHarness is a Bot in webhook mode behind the bot's real HTTP server on
// loopback, its inbox the real store (behind a switch that makes it fail).
type hookHarness struct {
	*harness
	url   string
	inbox *faultyInbox
}

func startHook(t testing.TB, cfg func(*Config)) *hookHarness {
	t.Helper()
	return startHookOn(t, storetest.Store(t), cfg)
}

// startHookOn is startHook with inbox as the store.
func startHookOn(t testing.TB, store Inbox, cfg func(*Config)) *hookHarness {
	t.Helper()
	srv := httpserver.New(nil, nil)
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	hookURL := "http://" + srv.Addr() + "/telegram/webhook"
	inbox := &faultyInbox{Inbox: store}
	h := start(t, nil, func(c *Config) {
		c.WebhookURL, c.WebhookSecret, c.Inbox = hookURL, testSecret, inbox
		if cfg != nil {
			cfg(c)
		}
	})
	srv.Handle("POST /telegram/webhook", h.bot.WebhookHandler())
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ctx)
	}()
	t.Cleanup(func() {
		h.stop()
		cancel()
		<-served
	})
	select {
	case <-h.bot.Serving():
	case <-ctxT(t).Done():
		t.Fatalf("the bot does not serve\n%s", h.logs)
	}
	return &hookHarness{harness: h, url: hookURL, inbox: inbox}
}

func (h *hookHarness) setWebhook() {
	h.t.Helper()
	if err := h.bot.SetWebhook(ctxT(h.t)); err != nil {
		h.t.Fatal(err)
	}
}

// post sends body to the webhook as Telegram would, with secret (none when
// "").
func (h *hookHarness) post(body, secret string) int {
	h.t.Helper()
	req, err := http.NewRequestWithContext(ctxT(h.t), http.MethodPost, h.url, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitDeliveries waits for n deliveries by the fake and returns them.
func (h *hookHarness) waitDeliveries(n int) []faketelegram.Delivery {
	h.t.Helper()
	if err := h.srv.Wait(ctxT(h.t), func(v faketelegram.View) bool { return len(v.Deliveries()) >= n }); err != nil {
		h.t.Fatalf("%d deliveries, want %d: %v\n%s", len(h.srv.Deliveries()), n, err, h.logs)
	}
	return h.srv.Deliveries()
}

// With a webhook, the bot registers it with the secret and the update kinds
// it handles, never polls, and answers what Telegram POSTs to it.
func TestWebhookAnswers(t *testing.T) {
	t.Parallel()
	h := startHook(t, nil)
	if err := h.bot.Ready(); err == nil {
		t.Error("ready before setWebhook")
	}
	h.setWebhook()
	if err := h.bot.Ready(); err != nil {
		t.Errorf("not ready after setWebhook: %v", err)
	}
	info, secret := h.srv.Webhook()
	if info.URL != h.url || secret != testSecret {
		t.Errorf("webhook %q with secret %q, want %q with %q", info.URL, secret, h.url, testSecret)
	}
	if want := []string{"message", "channel_post", "callback_query", "my_chat_member"}; !slices.Equal(info.AllowedUpdates, want) {
		t.Errorf("allowed_updates %v, want %v", info.AllowedUpdates, want)
	}
	chat := faketelegram.PrivateChat(alice)
	answer := h.ask(chat, alice, "/cutoff healthcare")
	if !strings.Contains(answer.Plain, "Healthcare") {
		t.Errorf("answer: %q", answer.Plain)
	}
	if d := h.waitDeliveries(1); d[0].Status != http.StatusOK {
		t.Errorf("delivery answered %d, want 200", d[0].Status)
	}
	if n := h.srv.Polls(); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}
}

// In a fleet only the leader registers the webhook: a follower is ready
// once it serves, and answers what the load balancer hands it; once it
// leads, it is ready only after its own setWebhook.
func TestWebhookFollowerReady(t *testing.T) {
	t.Parallel()
	var leads atomic.Bool
	h := startHook(t, func(c *Config) { c.Registers = leads.Load })
	if err := h.bot.Ready(); err != nil {
		t.Errorf("follower, serving: %v", err)
	}
	leads.Store(true)
	if err := h.bot.Ready(); err == nil {
		t.Error("leader ready before setWebhook")
	}
	h.setWebhook()
	if err := h.bot.Ready(); err != nil {
		t.Errorf("leader after setWebhook: %v", err)
	}
}

// Only requests carrying the secret are taken; others get 401 and are not
// answered.
func TestWebhookSecret(t *testing.T) {
	t.Parallel()
	h := startHook(t, nil)
	chat := faketelegram.PrivateChat(alice)
	body := textUpdate(5001, "/cutoff")
	for name, secret := range map[string]string{"none": "", "wrong": "s3cret_webhook-TOKEn", "prefix": testSecret[:5], "longer": testSecret + "x"} {
		if got := h.post(body, secret); got != http.StatusUnauthorized {
			t.Errorf("secret %s: HTTP %d, want 401", name, got)
		}
	}
	if got := h.post(`{"no":"update"}`, testSecret); got != http.StatusBadRequest {
		t.Errorf("not an update: HTTP %d, want 400", got)
	}
	if got := h.post(body, testSecret); got != http.StatusOK {
		t.Fatalf("with the secret: HTTP %d, want 200", got)
	}
	if sent := h.waitSent(chat.ID, 1); len(sent) != 1 {
		t.Errorf("%d answers, want 1", len(sent))
	}
}

// textUpdate is a private message from alice as Telegram sends it.
func textUpdate(id int, text string) string {
	cmd := strings.SplitN(text, " ", 2)[0]
	return `{"update_id":` + strconv.Itoa(id) + `,"message":{"message_id":` + strconv.Itoa(id) +
		`,"from":{"id":4242,"is_bot":false,"first_name":"Alice"},"chat":{"id":4242,"type":"private"},"date":` +
		strconv.FormatInt(time.Now().Unix(), 10) + `,"text":"` + text + `","entities":[{"type":"bot_command","offset":0,"length":` +
		strconv.Itoa(len(cmd)) + `}]}}`
}

// A delivery repeated (Telegram did not get the 200), after the answer or
// while it is being made, or several at once, is answered once: the inbox
// knows the update_id.
func TestWebhookRepeatedUpdateAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := startHook(t, nil)
	h.setWebhook()
	chat := faketelegram.PrivateChat(alice)
	h.srv.PushText(chat, alice, "/cutoff healthcare")
	h.waitSent(chat.ID, 1)
	deliveries := h.waitDeliveries(1)
	for range 2 {
		if !h.srv.Redeliver(deliveries[0].UpdateID) {
			t.Fatal("nothing to redeliver")
		}
	}
	for _, d := range h.waitDeliveries(3)[1:] {
		if d.Status != http.StatusOK {
			t.Errorf("repeated delivery answered %d, want 200", d.Status)
		}
	}
	// Several copies of a new update at once.
	raw := textUpdate(777000, "/cutoff stem")
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		wg.Go(func() { codes[i] = h.post(raw, testSecret) })
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusOK {
			t.Errorf("concurrent copies answered %v, want all 200", codes)
			break
		}
	}
	// A last question: once it is answered, every earlier one in the chat
	// has been (answers in a chat go in order).
	h.srv.PushText(chat, alice, "/cutoff french")
	var last string
	if err := h.srv.Wait(ctxT(t), func(v faketelegram.View) bool {
		calls := v.Calls("sendMessage")
		for _, c := range calls {
			last = c.Plain
		}
		return strings.Contains(last, "French")
	}); err != nil {
		t.Fatalf("no answer to the last question: %v", err)
	}
	if sent := h.srv.Sent(chat.ID); len(sent) != 3 {
		var got []string
		for _, s := range sent {
			got = append(got, strings.SplitN(s.Plain, "\n", 2)[0])
		}
		t.Errorf("%d answers to 3 questions (one delivered 3 times, one posted 5 times at once): %q", len(sent), got)
	}
}

// The bot answers 200 only once the update is stored: while the store
// fails it answers 500, Telegram delivers again, and once the store
// recovers the update is answered, once.
func TestWebhookStoreFailure(t *testing.T) {
	t.Parallel()
	h := startHook(t, nil)
	h.setWebhook()
	h.inbox.fail.Store(true)
	chat := faketelegram.PrivateChat(alice)
	h.srv.PushText(chat, alice, "/cutoff healthcare")
	d := h.waitDeliveries(2)
	for _, x := range d {
		if x.Status != http.StatusInternalServerError {
			t.Fatalf("delivery while the store fails: %+v, want 500", x)
		}
	}
	if info, _ := h.srv.Webhook(); info.PendingUpdateCount != 1 || !strings.Contains(info.LastErrorMessage, "500") {
		t.Errorf("getWebhookInfo: %+v", info)
	}
	if n := len(h.srv.Sent(chat.ID)); n != 0 {
		t.Errorf("%d answers to an update not stored", n)
	}
	h.inbox.fail.Store(false)
	h.waitSent(chat.ID, 1)
	if err := h.srv.Wait(ctxT(t), func(v faketelegram.View) bool { return v.Pending() == 0 }); err != nil {
		t.Fatal(err)
	}
	all := h.srv.Deliveries()
	if last := all[len(all)-1]; last.Status != http.StatusOK {
		t.Errorf("last delivery %+v, want 200", last)
	}
	if !strings.Contains(h.logs.String(), "cannot keep an update; Telegram will deliver it again") {
		t.Errorf("the failure was not logged:\n%s", h.logs)
	}
}

// Before Run serves, and after it stopped, deliveries get 503: Telegram
// keeps the update and delivers it again.
func TestWebhookNotServing(t *testing.T) {
	t.Parallel()
	h := startHook(t, nil)
	body := `{"update_id":1,"message":{"message_id":1,"chat":{"id":1,"type":"private"},"date":1,"text":"hi"}}`
	h.stop()
	if got := h.post(body, testSecret); got != http.StatusServiceUnavailable {
		t.Errorf("after the stop: HTTP %d, want 503", got)
	}
}

// Starting with long polling deletes a webhook left registered (getUpdates
// fails while one is), keeping the updates Telegram holds, which polling
// then answers.
func TestPollingDeletesWebhook(t *testing.T) {
	t.Parallel()
	h := start(t, nil, func(c *Config) {
		// A webhook left by an earlier run, at a URL that no longer answers.
		resp, err := c.HTTPClient.PostForm(fmt.Sprintf(c.Endpoint, c.Token, "setWebhook"),
			url.Values{"url": {"http://127.0.0.1:1/telegram/webhook"}, "secret_token": {testSecret}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
	chat := faketelegram.PrivateChat(alice)
	h.srv.PushText(chat, alice, "/cutoff healthcare")
	h.waitSent(chat.ID, 1)
	del := h.srv.Calls("deleteWebhook")
	if len(del) != 1 || del[0].Form.Get("drop_pending_updates") == "true" {
		t.Errorf("deleteWebhook calls: %+v, want one keeping pending updates", del)
	}
	if info, _ := h.srv.Webhook(); info.URL != "" {
		t.Errorf("webhook still set: %+v", info)
	}
	if !strings.Contains(h.logs.String(), "webhook deleted") {
		t.Errorf("not logged:\n%s", h.logs)
	}
	if err := h.bot.Ready(); err != nil {
		t.Errorf("polling bot not ready: %v", err)
	}
}

// BenchmarkWebhookAck measures a webhook delivery from POST to Telegram's
// 200, which comes once the update is written to a SQLite file (the inbox):
// one at a time, and 40 at once (Telegram's default max_connections), where
// concurrent deliveries share a transaction. The bot answers meanwhile.
func BenchmarkWebhookAck(b *testing.B) {
	for _, conc := range []int{1, 40} {
		b.Run(fmt.Sprintf("concurrent=%d", conc), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bot.db")
			storetest.SeedFile(b, path)
			db, err := store.Open(context.Background(), path, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			h := startHookOn(b, db, func(c *Config) { c.MaxTaken = 100_000 })
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
			defer client.CloseIdleConnections()
			var (
				mu  sync.Mutex
				lat []time.Duration
				ids atomic.Int64
			)
			ids.Store(10_000)
			b.ResetTimer()
			var wg sync.WaitGroup
			per := (b.N + conc - 1) / conc
			for range conc {
				wg.Go(func() {
					for range per {
						id := int(ids.Add(1))
						req, _ := http.NewRequest(http.MethodPost, h.url, strings.NewReader(textUpdate(id, "/cutoff healthcare")))
						req.Header.Set(SecretHeader, testSecret)
						t0 := time.Now()
						resp, err := client.Do(req)
						if err != nil || resp.StatusCode != http.StatusOK {
							b.Errorf("delivery: %v %v", err, resp)
							return
						}
						resp.Body.Close()
						d := time.Since(t0)
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(1), "max-ms")
			b.ReportMetric(float64(len(lat))/float64(h.inbox.keeps.Load()), "updates/write")
		})
	}
}
