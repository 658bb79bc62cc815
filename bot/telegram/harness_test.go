package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/memnet"
	"github.com/eebot/eebot/internal/testlog"
)

type migration struct{ from, to int64 }

// harness runs a Bot against a fake Bot API.
type harness struct {
	t      testing.TB
	srv    *faketelegram.Server
	bot    *Bot
	logs   *testlog.Buffer
	gone   chan int64
	migr   chan migration
	cancel context.CancelFunc
	done   chan error
}

var (
	alice = faketelegram.User{ID: 4242, FirstName: "Alice", UserName: "alice", LanguageCode: "en"}
	bob   = faketelegram.User{ID: 4343, FirstName: "Bob", UserName: "bob", LanguageCode: "fr"}
	group = faketelegram.SupergroupChat(-1001234567890, "EE applicants")
)

// start runs a bot over the real engine (nil eng) and a fresh fake server;
// limits are scaled 100× unless cfg changes them.
func start(t testing.TB, eng *commands.Engine, cfg func(*Config), opts ...faketelegram.Option) *harness {
	t.Helper()
	if eng == nil {
		eng = commandstest.New(t)
	}
	srv := faketelegram.New(opts...)
	t.Cleanup(srv.Close)
	h := &harness{t: t, srv: srv, logs: &testlog.Buffer{}, gone: make(chan int64, 16), migr: make(chan migration, 16), done: make(chan error, 1)}
	c := Config{
		Token: srv.Token(), Endpoint: srv.Endpoint(), HTTPClient: srv.Client(),
		Logger:      slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PollTimeout: time.Second,
		Limits:      DefaultLimits().Scaled(100),
		OnChatGone:  func(id int64, _ string) { h.gone <- id },
		OnMigrate:   func(from, to int64) { h.migr <- migration{from, to} },
	}
	if cfg != nil {
		cfg(&c)
	}
	b, err := New(c, eng)
	if err != nil {
		t.Fatal(err)
	}
	h.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(h.stop)
	return h
}

// startMem is start on an in-memory network, for tests run inside a
// testing/synctest bubble: the bot, its HTTP client and the fake all run in
// the bubble, on the bubble's fake clock.
func startMem(t testing.TB, eng *commands.Engine, cfg func(*Config)) *harness {
	t.Helper()
	return start(t, eng, cfg, faketelegram.WithListener(memnet.Listen("telegram.test")))
}

// stop cancels Run and waits for it.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Error("Run did not stop")
	}
	if logs := h.logs.String(); bytes.Contains([]byte(logs), []byte(h.srv.Token())) {
		h.t.Errorf("the token appears in the logs:\n%s", logs)
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitSent waits for n messages to chatID and returns them.
func (h *harness) waitSent(chatID int64, n int) []faketelegram.Call {
	h.t.Helper()
	err := h.srv.Wait(ctxT(h.t), func(v faketelegram.View) bool {
		k := 0
		for _, c := range v.Calls("sendMessage") {
			if c.ChatID == chatID {
				k++
			}
		}
		return k >= n
	})
	if err != nil {
		h.t.Fatalf("waiting for %d messages to chat %d: %v (got %d; rejected %v)", n, chatID, err, len(h.srv.Sent(chatID)), h.srv.Rejected(""))
	}
	return h.srv.Sent(chatID)
}

// ask sends text from user in chat and returns the bot's first answer.
func (h *harness) ask(chat faketelegram.Chat, from faketelegram.User, text string) faketelegram.Call {
	h.t.Helper()
	before := len(h.srv.Sent(chat.ID))
	h.srv.PushText(chat, from, text)
	return h.waitSent(chat.ID, before+1)[before]
}
