package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// The tests here run one at a time, before the package's parallel tests:
// each starts a whole bot, and the root package's timing-sensitive tests
// (exit times, bursts) suffer from more bots at once on 2 cores.

// freeAddr returns a loopback address no one listens on (the bot's webhook
// URL must be known before it starts).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// get fetches a URL of the bot's HTTP server.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitMetrics fetches /metrics until it contains want, for up to 10 s.
func waitMetrics(t *testing.T, url, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := get(t, url)
		if code == 200 && strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics: %d, no %q within 10 s:\n%s", code, want, body)
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-t.Context().Done():
			t.Fatal(t.Context().Err())
		}
	}
}

// healthcheckExit runs `eebot healthcheck` with the test's environment.
func healthcheckExit(env map[string]string) (int, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"healthcheck"}, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, errb.String()
}

// percentile returns the p-th percentile (0-100) of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// Telegram by webhook through run(): the bot registers the webhook with its
// secret once it serves, Telegram's deliveries are acknowledged once stored
// and answered, a draw a moderator enters is posted, and /healthz, /readyz
// (no feed check: NO_POLL) and /metrics
// report it all; `eebot healthcheck` exits 0 while the bot is ready and 1
// once it stopped; the stop takes under 2 s.
func TestHTTPTelegramWebhookEndToEnd(t *testing.T) {
	e := newE2E(t)
	addr := freeAddr(t)
	base := "http://" + addr
	e.env["HTTP_ADDR"] = addr
	e.env["TELEGRAM_WEBHOOK_URL"] = base + "/telegram/webhook"
	e.env["TELEGRAM_WEBHOOK_SECRET"] = "e2e-secret_0123456789"
	e.env["LOG_FORMAT"] = "json"
	e.env["NO_POLL"] = "1" // the first poll of the 16 MB feed is slow under -race; a moderator enters the draw
	admin := faketelegram.User{ID: 1, FirstName: "Ada"}
	group := faketelegram.SupergroupChat(-1001, "Healthcare PR")
	e.tg.SetMember(group.ID, admin.ID, "administrator")
	stop := e.start()
	e.waitLog("telegram: webhook registered", 1)
	if info, secret := e.tg.Webhook(); info.URL != e.env["TELEGRAM_WEBHOOK_URL"] || secret != e.env["TELEGRAM_WEBHOOK_SECRET"] {
		t.Fatalf("webhook %+v secret %q", info, secret)
	}

	e.tg.PushText(group, admin, "/subscribe healthcare")
	e.waitSent(group.ID, "will get a post", 1)
	const questions = 40
	for i := range questions {
		u := faketelegram.User{ID: int64(100 + i), FirstName: "U"}
		e.tg.PushText(faketelegram.PrivateChat(u), u, "/cutoff healthcare")
	}
	for i := range questions {
		e.waitSent(int64(100+i), "Healthcare", 1)
	}
	mod := faketelegram.User{ID: 777, FirstName: "Mo"} // BOT_ADMINS
	e.tg.PushText(faketelegram.PrivateChat(mod), mod, "/draw add 438 "+time.Now().UTC().Format("2006-01-02")+" healthcare 3500 471")
	e.waitSent(group.ID, "#438", 1)
	if n := e.tg.Polls(); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}
	var took []time.Duration
	for _, d := range e.tg.Deliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("delivery %+v, want 200", d)
		}
		took = append(took, d.Took)
	}
	t.Logf("webhook deliveries: %d, 40 at once, acknowledged (stored in SQLite) in p50 %v, p99 %v while answering", len(took), percentile(took, 50), percentile(took, 99))

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, body := get(t, base+"/readyz")
	var rd struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &rd); code != 200 || err != nil || rd.Status != "ready" ||
		rd.Checks["database"] != "ok" || rd.Checks["telegram"] != "ok" || len(rd.Checks) != 2 {
		t.Errorf("/readyz: %d %s", code, body)
	}
	// The outbox records a post a few milliseconds after Telegram took it.
	metrics := waitMetrics(t, base+"/metrics", "eebot_outbox_pending 0\n")
	for _, want := range []string{
		`eebot_commands_total{command="cutoff",outcome="ok",platform="telegram"} 40`,
		`eebot_commands_total{command="subscribe",outcome="ok",platform="telegram"} 1`,
		`eebot_commands_total{command="draw add",outcome="ok",platform="telegram"} 1`,
		`eebot_reply_seconds_bucket{platform="telegram",le="+Inf"} 42`,
		`eebot_reply_seconds_count{platform="telegram"} 42`,
		`eebot_platform_requests_total{platform="telegram"}`,
		`eebot_platform_rate_limited_total{platform="telegram"} 0`,
		`eebot_outbox_pending 0`,
		`eebot_outbox_oldest_pending_age_seconds 0`,
		`eebot_posts_sent_total{platform="telegram"} 1`,
		`eebot_feed_last_success_timestamp_seconds `,
		`eebot_latest_draw_number 438`,
		`eebot_leader 1`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, out := healthcheckExit(e.env); code != 0 {
		t.Errorf("healthcheck while ready: exit %d %s", code, out)
	}
	// JSON logs, through the redactor.
	if !strings.Contains(e.logs.String(), `"msg":"telegram: webhook registered"`) || strings.Contains(e.logs.String(), e.tg.Token()) ||
		strings.Contains(e.logs.String(), e.env["TELEGRAM_WEBHOOK_SECRET"]) {
		t.Error("logs are not JSON, or hold a secret")
	}

	t0 := time.Now()
	if code := stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, e.logs.String())
	}
	if took := time.Since(t0); took > exitBudget {
		t.Errorf("stop took %v, want under %v", took, exitBudget)
	}
	if code, out := healthcheckExit(e.env); code != 1 || !strings.Contains(out, "eebot: healthcheck: "+base+"/readyz") || strings.Count(out, "\n") != 1 {
		t.Errorf("healthcheck after the stop: exit %d %q, want 1 and one line", code, out)
	}
}

// With long polling failing, /readyz fails on "telegram", with the reason
// in its JSON, and `eebot healthcheck` exits 1 naming it.
func TestHTTPReadyzTelegramFailing(t *testing.T) {
	e := newE2E(t)
	e.env["NO_POLL"] = "1"
	addr := freeAddr(t)
	e.env["HTTP_ADDR"] = addr
	stop := e.start()
	if err := e.tg.Wait(context.Background(), func(v faketelegram.View) bool { return v.Polling() > 0 }); err != nil {
		t.Fatal(err)
	}
	e.tg.Script("getUpdates", 0, 100, faketelegram.Fault{Code: 502, Description: "Bad Gateway"})
	u := faketelegram.User{ID: 7, FirstName: "U"}
	e.tg.PushText(faketelegram.PrivateChat(u), u, "/cutoff") // ends the long poll in progress
	e.waitLog("getUpdates failed", 1)
	code, body := get(t, "http://"+addr+"/readyz")
	var rd struct {
		Status string            `json:"status"`
		Failed []string          `json:"failed"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &rd); code != http.StatusServiceUnavailable || err != nil || !slices.Equal(rd.Failed, []string{"telegram"}) ||
		!strings.Contains(rd.Checks["telegram"], "getUpdates failing") || rd.Checks["database"] != "ok" || rd.Status != "not ready" {
		t.Errorf("/readyz: %d %s", code, body)
	}
	if code, out := healthcheckExit(e.env); code != 1 || !strings.Contains(out, "telegram: getUpdates failing") {
		t.Errorf("healthcheck: exit %d %q", code, out)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// Discord over HTTP through run(): no gateway; a PING gets PONG, a signed
// command its answer in the HTTP body, a bad signature 401; the metrics
// count the answers; readiness holds.
func TestHTTPDiscordInteractionsEndToEnd(t *testing.T) {
	e := newE2E(t)
	dc := fakediscord.Start(t)
	delete(e.env, "TELEGRAM_BOT_TOKEN")
	addr := freeAddr(t)
	endpoint := "http://" + addr + "/discord/interactions"
	for k, v := range map[string]string{"DISCORD_BOT_TOKEN": dc.Token, "DISCORD_API_URL": dc.APIURL, "DISCORD_GUILD_ID": fakediscord.GuildID,
		"DISCORD_MODE": "http", "DISCORD_PUBLIC_KEY": dc.PublicKey(), "HTTP_ADDR": addr, "NO_POLL": "1"} {
		e.env[k] = v
	}
	stop := e.start()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
		t.Fatalf("commands not registered: %v\n%s", err, e.logs.String())
	}
	if a, err := dc.Ping(ctx, nil, endpoint); err != nil || a.Status != 200 || strings.TrimSpace(string(a.Body)) != `{"type":1}` {
		t.Fatalf("PING: %v %d %s", err, a.Status, a.Body)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer client.CloseIdleConnections()
	const n = 200
	var took []time.Duration
	for i := range n {
		cat := []string{"healthcare", "stem", "french", "trades"}[i%4]
		a, err := dc.Interact(ctx, client, endpoint, fakediscord.Interaction{Name: "cutoff", Options: []fakediscord.Option{{Name: "category", Value: cat}}})
		if err != nil || a.Status != 200 {
			t.Fatalf("interaction %d: %v %d %s", i, err, a.Status, a.Body)
		}
		var cb struct {
			Type int `json:"type"`
			Data struct {
				Embeds []struct {
					Title string `json:"title"`
				} `json:"embeds"`
			} `json:"data"`
		}
		if err := a.JSON(&cb); err != nil || cb.Type != 4 || len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Title, "CRS") {
			t.Fatalf("answer %d: %s", i, a.Body)
		}
		took = append(took, a.Took)
	}
	t.Logf("signed interaction → verified, answered in the HTTP body: p50 %v, p99 %v (%d, sequential, keep-alive)", percentile(took, 50), percentile(took, 99), n)
	body, _ := json.Marshal((&fakediscord.Interaction{Name: "cutoff"}).Payload())
	if a, err := dc.Send(ctx, nil, endpoint, body, time.Now(), func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64)) }); err != nil || a.Status != 401 {
		t.Errorf("bad signature: %v %d", err, a.Status)
	}
	if a, err := dc.Send(ctx, nil, endpoint, body, time.Now().Add(-10*time.Minute), nil); err != nil || a.Status != 401 {
		t.Errorf("old timestamp: %v %d", err, a.Status)
	}
	if code, body := get(t, "http://"+addr+"/readyz"); code != 200 || !strings.Contains(body, `"discord":"ok"`) {
		t.Errorf("/readyz: %d %s", code, body)
	}
	_, metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{`eebot_commands_total{command="cutoff",outcome="ok",platform="discord"} 200`, `eebot_reply_seconds_count{platform="discord"} 200`,
		`eebot_platform_requests_total{platform="discord"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if n := len(dc.Requests("GET", "/api/v9/gateway")); n != 0 {
		t.Errorf("%d gateway lookups in HTTP mode", n)
	}
	if n := len(dc.Requests("POST", "/api/v9/interactions/")); n != 0 {
		t.Errorf("%d REST callbacks: answers go in the HTTP body", n)
	}
	t0 := time.Now()
	if code := stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, e.logs.String())
	}
	if took := time.Since(t0); took > exitBudget {
		t.Errorf("stop took %v, want under %v", took, exitBudget)
	}
}
