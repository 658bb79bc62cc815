package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/httpserver"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// httpBot is a Bot taking interactions over HTTP, mounted on the bot's real
// HTTP server on loopback, with a fake Discord that signs what it sends.
type httpBot struct {
	t    testing.TB
	fake *fakediscord.Server
	bot  *Bot
	url  string // the interactions endpoint
	logs *testlog.Buffer
	done chan error
}

func newHTTPBot(t testing.TB, st domain.Store, mod func(*Config)) *httpBot {
	t.Helper()
	fake := fakediscord.Start(t)
	key, err := hex.DecodeString(fake.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	logs := &testlog.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := Config{Token: fakediscord.Token, GuildID: fakediscord.GuildID, APIURL: fake.APIURL, Logger: log, PublicKey: ed25519.PublicKey(key)}
	if mod != nil {
		mod(&cfg)
	}
	if st == nil {
		st = storetest.Store(t)
	}
	b, err := New(cfg, commands.New(st, commands.WithClock(storetest.Now), commands.WithLogger(log)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(log, nil)
	srv.Handle("POST /discord/interactions", b.InteractionsHandler())
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ctx)
	}()
	h := &httpBot{t: t, fake: fake, bot: b, url: "http://" + srv.Addr() + "/discord/interactions", logs: logs}
	t.Cleanup(func() {
		cancel()
		<-served
		if strings.Contains(logs.String(), fakediscord.Token) {
			t.Errorf("the bot token appeared in the logs:\n%s", logs)
		}
	})
	return h
}

// run starts Run and stops it when the test ends.
func (h *httpBot) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.done = make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			h.t.Error("Run did not return within 5 s of the stop")
		}
	})
}

func (h *httpBot) interact(in fakediscord.Interaction) fakediscord.HTTPAnswer {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := h.fake.Interact(ctx, nil, h.url, in)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// answerOf decodes an HTTP answer as a callback.
func answerOf(t *testing.T, a fakediscord.HTTPAnswer) callback {
	t.Helper()
	if a.Status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", a.Status, a.Body)
	}
	var raw struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(a.Body, &raw); err != nil {
		t.Fatalf("answer: %v: %s", err, a.Body)
	}
	out := callback{Type: raw.Type, Raw: string(a.Body)}
	if len(raw.Data) > 0 {
		if err := json.Unmarshal(raw.Data, &out.Data); err != nil {
			t.Fatalf("answer data: %v: %s", err, a.Body)
		}
	}
	return out
}

// The HTTP path answers with exactly the callback the gateway path sends:
// same type, same embeds, components, flags and mentions, for a command,
// an autocomplete, a pager button and an input error.
func TestHTTPInteractionsAnswerAsGateway(t *testing.T) {
	t.Parallel()
	gw := newHarness(t, nil)
	gw.start()
	hb := newHTTPBot(t, nil, nil)
	cases := []fakediscord.Interaction{
		slash("cutoff", str("category", "healthcare")),
		slash("draws", str("category", "cec")),
		slash("cutoff", str("category", "astrology")),
		{Type: fakediscord.TypeAutocomplete, Name: "eligible", Options: []fakediscord.Option{{Name: "noc", Value: "nurs", Focused: true}}},
		{Type: fakediscord.TypeComponent, CustomID: "pg|history|healthcare|2"},
		{Name: "cutoff", Locale: "fr", Options: []fakediscord.Option{str("category", "stem")}},
	}
	for _, in := range cases {
		want := gw.call(in)
		in.ID, in.Token = "", ""
		got := answerOf(t, hb.interact(in))
		if got.Type != want.Type {
			t.Errorf("%s %v: type %d over HTTP, %d on the gateway", in.Name, in.Options, got.Type, want.Type)
		}
		var wd, gd map[string]any
		_ = json.Unmarshal([]byte(want.Raw), &wd)
		_ = json.Unmarshal([]byte(got.Raw), &gd)
		if w, g := mustJSON(t, wd["data"]), mustJSON(t, gd["data"]); w != g {
			t.Errorf("%s %v: data differs\nhttp:    %s\ngateway: %s", in.Name, in.Options, g, w)
		}
	}
	if reqs := hb.fake.Requests("", "/api/v9/interactions/"); len(reqs) != 0 {
		t.Errorf("the HTTP path made %d callback requests; answers go in the HTTP body", len(reqs))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Only requests signed with the application's key, within 5 minutes, are
// answered; Discord's PING gets a PONG.
func TestHTTPInteractionsVerify(t *testing.T) {
	t.Parallel()
	h := newHTTPBot(t, nil, nil)
	ctx := t.Context()
	body, _ := json.Marshal((&fakediscord.Interaction{Name: "cutoff"}).Payload())
	send := func(at time.Time, tamper func(*http.Request)) int {
		t.Helper()
		a, err := h.fake.Send(ctx, nil, h.url, body, at, tamper)
		if err != nil {
			t.Fatal(err)
		}
		return a.Status
	}
	now := time.Now()
	if got := send(now, nil); got != http.StatusOK {
		t.Errorf("good signature: HTTP %d, want 200", got)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	for name, tc := range map[string]struct {
		at     time.Time
		tamper func(*http.Request)
	}{
		"other key": {now, func(r *http.Request) {
			ts := r.Header.Get("X-Signature-Timestamp")
			r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(other, append([]byte(ts), body...))))
		}},
		"no signature":     {now, func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }},
		"garbage":          {now, func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "zz") }},
		"other timestamp":  {now, func(r *http.Request) { r.Header.Set("X-Signature-Timestamp", "1") }},
		"6 minutes old":    {now.Add(-6 * time.Minute), nil},
		"6 minutes ahead":  {now.Add(6 * time.Minute), nil},
		"body changed":     {now, func(r *http.Request) { r.Body = http.NoBody; r.ContentLength = 0 }},
		"no timestamp":     {now, func(r *http.Request) { r.Header.Del("X-Signature-Timestamp") }},
		"4 minutes old ok": {now.Add(-4 * time.Minute), nil},
	} {
		want := http.StatusUnauthorized
		if strings.HasSuffix(name, " ok") {
			want = http.StatusOK
		}
		if got := send(tc.at, tc.tamper); got != want {
			t.Errorf("%s: HTTP %d, want %d", name, got, want)
		}
	}
	a, err := h.fake.Ping(ctx, nil, h.url)
	if err != nil || a.Status != http.StatusOK || strings.TrimSpace(string(a.Body)) != `{"type":1}` {
		t.Errorf("PING: %v HTTP %d %s, want 200 {\"type\":1}", err, a.Status, a.Body)
	}
	a, err = h.fake.Send(ctx, nil, strings.Replace(h.url, "interactions", "nothing", 1), body, now, nil)
	if err != nil || a.Status != http.StatusNotFound {
		t.Errorf("another path: %v HTTP %d", err, a.Status)
	}
}

// gatedStore holds every chat-language lookup (the first thing an answer
// in a server reads) until the test opens the gate: a slow database.
type gatedStore struct {
	domain.Store
	gate chan struct{}
}

func (s *gatedStore) ChatLanguage(ctx context.Context, p domain.Platform, dest string) (string, error) {
	select {
	case <-s.gate:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return s.Store.ChatLanguage(ctx, p, dest)
}

// An answer that takes longer than DeferAfter is deferred (type 5) in the
// HTTP answer, then sent by editing the original response; an answer for
// the asker alone after a public deferral replaces it by an ephemeral
// follow-up.
func TestHTTPInteractionsDeferSlowAnswer(t *testing.T) {
	t.Parallel()
	st := &gatedStore{Store: storetest.Store(t), gate: make(chan struct{})}
	h := newHTTPBot(t, st, func(c *Config) { c.DeferAfter = 50 * time.Millisecond })
	fast := newHTTPBot(t, nil, nil)
	want := answerOf(t, fast.interact(slash("cutoff", str("category", "healthcare"))))

	in := slash("cutoff", str("category", "healthcare"))
	in.ID = fakediscord.NextID()
	in.Token = "itok-" + in.ID
	a := h.interact(in)
	got := answerOf(t, a)
	if got.Type != 5 || got.ephemeral() {
		t.Fatalf("slow answer: type %d ephemeral %v, want a public deferral (5): %s", got.Type, got.ephemeral(), a.Body)
	}
	if a.Took > 2*time.Second {
		t.Errorf("the deferral took %v", a.Took)
	}
	close(st.gate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	edits, err := h.fake.AwaitRequests(ctx, "PATCH", "/api/v9/webhooks/"+fakediscord.AppID+"/"+in.Token+"/messages/@original", 1)
	if err != nil {
		t.Fatalf("no edit of the original response: %v\n%s", err, h.logs)
	}
	var edit callbackData
	if err := json.Unmarshal(edits[0].Body, &edit); err != nil {
		t.Fatal(err)
	}
	if w, g := mustJSON(t, want.Data.Embeds), mustJSON(t, edit.Embeds); w != g {
		t.Errorf("edited answer differs from the direct one\nedit:   %s\ndirect: %s", g, w)
	}
	if mustJSON(t, want.Data.Components) != mustJSON(t, edit.Components) {
		t.Errorf("components differ: %s", edits[0].Body)
	}

	// An input error is for the asker alone: the public "thinking…" goes,
	// an ephemeral follow-up says what to fix.
	st.gate = make(chan struct{})
	bad := slash("cutoff", str("category", "astrology"))
	bad.ID = fakediscord.NextID()
	bad.Token = "itok-" + bad.ID
	if got := answerOf(t, h.interact(bad)); got.Type != 5 {
		t.Fatalf("type %d, want 5", got.Type)
	}
	close(st.gate)
	base := "/api/v9/webhooks/" + fakediscord.AppID + "/" + bad.Token
	if _, err := h.fake.AwaitRequests(ctx, "DELETE", base+"/messages/@original", 1); err != nil {
		t.Fatalf("the public deferral was not deleted: %v\n%s", err, h.logs)
	}
	follow, err := h.fake.AwaitRequests(ctx, "POST", base, 1)
	if err != nil {
		t.Fatalf("no follow-up: %v\n%s", err, h.logs)
	}
	var fu callbackData
	_ = json.Unmarshal(follow[0].Body, &fu)
	if fu.Flags&64 == 0 || len(fu.Embeds) == 0 {
		t.Errorf("follow-up not an ephemeral answer: %s", follow[0].Body)
	}
}

// Over HTTP, Run opens no gateway connection: it looks the application up,
// registers the commands, reports ready, and posts still go out by REST; a
// channel Discord says is gone (10003, 50001) is reported Gone.
func TestHTTPInteractionsRunWithoutGateway(t *testing.T) {
	t.Parallel()
	h := newHTTPBot(t, nil, nil)
	if err := h.bot.Ready(); err == nil {
		t.Error("ready before Run")
	}
	h.run()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := h.fake.AwaitRequests(ctx, "PUT", "/api/v9/applications/"+fakediscord.AppID+"/guilds/", 1); err != nil {
		t.Fatalf("commands not registered: %v\n%s", err, h.logs)
	}
	if err := h.bot.Ready(); err != nil {
		t.Errorf("not ready after registration: %v", err)
	}
	if n := len(h.fake.Requests("GET", "/api/v9/gateway")); n != 0 {
		t.Errorf("%d gateway lookups in HTTP mode", n)
	}
	rep := reply.Reply{Title: "Draw #438"}
	if o := h.bot.Post(ctx, fakediscord.ChannelID, rep, "", "n1"); o.Kind != broadcast.Delivered {
		t.Errorf("post: %+v", o)
	}
	for _, code := range []struct{ status, code int }{{404, 10003}, {403, 50001}} {
		h.fake.Fail("POST", "/api/v9/channels/"+fakediscord.ChannelID+"/messages", 1, code.status, code.code, "gone")
		if o := h.bot.Post(ctx, fakediscord.ChannelID, rep, "", "n2"); o.Kind != broadcast.Gone {
			t.Errorf("post to a channel answered %d/%d: %v, want Gone", code.status, code.code, o.Kind)
		}
	}
	if i := slices.IndexFunc(h.fake.Requests("", "/"), func(r fakediscord.Request) bool { return strings.HasPrefix(r.Path, "/gw") }); i >= 0 {
		t.Error("a gateway connection was made")
	}
}

// BenchmarkHTTPInteractionLatency measures a signed interaction POSTed to
// the bot's HTTP server on loopback until its answer is read from the HTTP
// body: verification (Ed25519), decode, the engine, render, encode. It
// reports p50/p99/max.
func BenchmarkHTTPInteractionLatency(b *testing.B) {
	h := newHTTPBot(b, nil, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := h.fake.Interact(ctx, client, h.url, slash("cutoff", str("category", "healthcare")))
		if err != nil || a.Status != http.StatusOK {
			b.Fatalf("%v HTTP %d %s", err, a.Status, a.Body)
		}
		lat = append(lat, a.Took)
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}
