package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/store"
)

// A moderator presses Post three times on Telegram and three times on
// Discord, each on its own preview: every subscription gets the draw once
// per preview (two posts), not once per press (six).
func TestEndToEndAnnounceOncePerPreview(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	dc := e.discord()
	const discordMod, channel = "600000000000000009", "300000000000000051"
	e.env["BOT_ADMINS"] = "telegram:777,discord:" + discordMod
	e.env["NO_POLL"] = "1"
	mod := faketelegram.User{ID: 777, FirstName: "Mo"}
	group := faketelegram.SupergroupChat(-1001, "All draws")
	e.tg.SetMember(group.ID, mod.ID, "administrator")
	stop := e.start()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
		t.Fatalf("discord did not connect: %v\n%s", err, e.logs.String())
	}
	e.tg.PushText(group, mod, "/subscribe")
	e.waitSent(group.ID, "will get a post", 1)
	call := func(in fakediscord.Interaction) fakediscord.Callback {
		t.Helper()
		id, err := dc.Push(in)
		if err != nil {
			t.Fatal(err)
		}
		cb, err := dc.AwaitCallback(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return cb
	}
	if cb := call(fakediscord.Interaction{Name: "subscribe", ChannelID: channel, Permissions: fakediscord.PermManageChannels}); !strings.Contains(string(cb.Raw), "will get a post") {
		t.Fatalf("discord subscribe: %s", cb.Raw)
	}

	// Telegram: three presses on one preview.
	private := faketelegram.PrivateChat(mod)
	e.tg.PushText(private, mod, "/announce")
	preview := e.waitSent(private.ID, "Preview", 1)[0]
	var kb struct {
		Rows [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(preview.ReplyMarkup), &kb); err != nil || len(kb.Rows) == 0 {
		t.Fatalf("preview keyboard %q: %v", preview.ReplyMarkup, err)
	}
	for range 3 {
		e.tg.PushCallback(private, mod, preview.MessageID, kb.Rows[0][0].CallbackData)
	}
	if _, err := e.tg.WaitCalls(ctx, "answerCallbackQuery", 3); err != nil {
		t.Fatal(err)
	}

	// Discord: three presses on another preview.
	cb := call(fakediscord.Interaction{Name: "announce", UserID: discordMod, DM: true})
	var data struct {
		Components []struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(cb.Body.Data, &data); err != nil || len(data.Components) == 0 {
		t.Fatalf("discord preview: %s", cb.Raw)
	}
	for range 3 {
		call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: data.Components[0].Components[0].CustomID, UserID: discordMod, DM: true})
	}

	e.waitSent(group.ID, "#437", 2)
	if _, err := dc.AwaitMessages(ctx, channel, 2); err != nil {
		t.Fatalf("discord posts: %v\n%s", err, e.logs.String())
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, e.logs.String())
	}
	// Every post the presses queued, sent or not, is in the outbox.
	db, err := store.Open(context.Background(), e.env["DB_PATH"], slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 4 || len(e.sentWith(group.ID, "#437")) != 2 || dc.MessageCounts()[channel] != 2 {
		t.Errorf("6 presses on 2 previews queued %v; sent %d to Telegram, %d to Discord; want 4 queued, 2 each",
			counts, len(e.sentWith(group.ID, "#437")), dc.MessageCounts()[channel])
	}
}
