package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/memnet"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// harness is a real Bot (real engine over the embedded data, real discordgo
// session) running against a fake Discord.
type harness struct {
	t      testing.TB
	fake   *fakediscord.Server
	bot    *Bot
	store  *store.DB // the engine's store, to check what commands changed
	logs   *testlog.Buffer
	net    *memnet.Listener // the in-memory network, nil on loopback
	cancel context.CancelFunc
	done   chan error
}

func newHarness(t testing.TB, mod func(*Config)) *harness {
	t.Helper()
	return newHarnessOn(t, nil, mod)
}

// newMemHarness is newHarness on an in-memory network, for tests run inside
// a testing/synctest bubble: the bot, its HTTP client, its gateway
// connection and the fake all run in the bubble, on the bubble's fake clock.
func newMemHarness(t testing.TB, mod func(*Config)) *harness {
	t.Helper()
	l := memnet.Listen("discord.test")
	tr := &http.Transport{DialContext: l.Dial}
	t.Cleanup(tr.CloseIdleConnections) // last: after the fake has closed
	h := newHarnessOn(t, l, func(c *Config) {
		c.HTTPClient = &http.Client{Transport: tr}
		if mod != nil {
			mod(c)
		}
	})
	h.bot.dial = l.Dial
	h.net = l
	return h
}

// newHarnessOn serves the fake on l, or on loopback when l is nil.
func newHarnessOn(t testing.TB, l net.Listener, mod func(*Config)) *harness {
	t.Helper()
	fake := fakediscord.StartOn(t, l)
	logs := &testlog.Buffer{}
	cfg := Config{
		Token:   fakediscord.Token,
		GuildID: fakediscord.GuildID,
		APIURL:  fake.APIURL,
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	db := storetest.Store(t)
	eng := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	b, err := New(cfg, eng)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, fake: fake, bot: b, logs: logs, store: db}
	t.Cleanup(func() {
		if h.cancel != nil {
			h.stop()
		}
		if strings.Contains(logs.String(), fakediscord.Token) {
			t.Errorf("the bot token appeared in the logs:\n%s", logs.String())
		}
	})
	return h
}

// start runs the bot and waits for its command registration. On the
// in-memory network it also waits for the first heartbeat and for every
// goroutine to settle (see stop).
func (h *harness) start() {
	h.t.Helper()
	h.run()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := h.fake.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
		h.t.Fatalf("no command registration: %v\nlogs:\n%s", err, h.logs)
	}
	if h.net != nil {
		if _, err := h.fake.AwaitGateway(ctx, "heartbeat", 1); err != nil {
			h.t.Fatalf("no heartbeat: %v\nlogs:\n%s", err, h.logs)
		}
		synctest.Wait()
	}
}

// run starts Run without waiting for anything.
func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
}

// stop cancels Run and returns its result.
func (h *harness) stop() error {
	h.t.Helper()
	if h.net != nil {
		// discordgo's Close sends a close frame, then sleeps a second holding
		// the session lock. A goroutine of the session that wants the lock
		// meanwhile waits in a way synctest does not count as durable, so
		// the bubble's clock would never reach the end of the sleep. So let
		// the session settle first (its heartbeat goroutine then leaves on
		// Close without locking), and let the fake's answering close frame
		// take longer than the sleep (else it wakes the session's reader
		// into the lock). Gateway tests in a bubble must also leave the
		// session settled whenever the fake closes or drops the connection,
		// and not stop it within a second of a heartbeat tick.
		synctest.Wait()
		h.net.SetLatency(2 * time.Second)
	}
	h.cancel()
	h.cancel = nil
	return h.wait(10 * time.Second)
}

func (h *harness) wait(d time.Duration) error {
	h.t.Helper()
	select {
	case err := <-h.done:
		h.cancel = nil
		return err
	case <-time.After(d):
		h.t.Fatalf("Run did not return within %v\nlogs:\n%s", d, h.logs)
		return nil
	}
}

// callbackData is an interaction callback's data, decoded.
type callbackData struct {
	Content         string                                      `json:"content"`
	Flags           int                                         `json:"flags"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	Components      []componentRow                              `json:"components"`
	AllowedMentions *allowedMentions                            `json:"allowed_mentions"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

type allowedMentions struct {
	Parse []string `json:"parse"`
	Roles []string `json:"roles"`
	Users []string `json:"users"`
}

type componentRow struct {
	Type       int `json:"type"`
	Components []struct {
		Type     int    `json:"type"`
		Style    int    `json:"style"`
		Label    string `json:"label"`
		CustomID string `json:"custom_id"`
		Disabled bool   `json:"disabled"`
	} `json:"components"`
}

type callback struct {
	Type int
	Data callbackData
	Raw  string
}

// call pushes an interaction and returns the bot's callback.
func (h *harness) call(in fakediscord.Interaction) callback {
	h.t.Helper()
	if in.ID == "" {
		in.ID = fakediscord.NextID()
	}
	if _, err := h.fake.Push(in); err != nil {
		h.t.Fatal(err)
	}
	return h.callback(in.ID)
}

func (h *harness) callback(id string) callback {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := h.fake.AwaitCallback(ctx, id)
	if err != nil {
		h.t.Fatalf("no callback for interaction %s: %v\nlogs:\n%s", id, err, h.logs)
	}
	out := callback{Type: cb.Body.Type, Raw: string(cb.Raw)}
	if err := json.Unmarshal(cb.Body.Data, &out.Data); err != nil {
		h.t.Fatalf("callback data: %v: %s", err, cb.Raw)
	}
	return out
}

func (c callback) embed(t testing.TB) *discordgo.MessageEmbed {
	t.Helper()
	if len(c.Data.Embeds) != 1 {
		t.Fatalf("want 1 embed, got %d: %s", len(c.Data.Embeds), c.Raw)
	}
	return c.Data.Embeds[0]
}

func (c callback) ephemeral() bool { return c.Data.Flags&64 != 0 }

func slash(name string, opts ...fakediscord.Option) fakediscord.Interaction {
	return fakediscord.Interaction{Name: name, Options: opts}
}

func str(name, value string) fakediscord.Option {
	return fakediscord.Option{Name: name, Type: fakediscord.OptString, Value: value}
}
