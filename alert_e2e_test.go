package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/store/storetest"
)

// healthcareDraws returns the snapshot plus new healthcare draws dated
// today: #438 with a cutoff of crs[0], #439 with crs[1], and so on.
func healthcareDraws(t *testing.T, crs ...string) []byte {
	t.Helper()
	snap, _ := data.Files.ReadFile(data.IRCCFeed)
	today := time.Now().UTC()
	var rows []ircctest.Round
	for i, c := range crs {
		number := []string{"438", "439", "440"}[i]
		row, err := ircctest.NewDraw(snap, number, ircctest.Round{
			"drawName": "Healthcare and Social Services Occupations, 2026-Version 3", "drawDate": today.Format("2006-01-02"),
			"drawDateFull": today.Format("January 2, 2006"), "drawDateTime": today.Format("January 2, 2006") + " at 14:02:11 UTC",
			"drawCRS": c, "drawSize": "3,500", "drawCutOff": "June 2, 2026 at 09:15:00 UTC"})
		if err != nil {
			t.Fatal(err)
		}
		rows = append([]ircctest.Round{row}, rows...) // newest first, as IRCC lists them
	}
	feed, err := ircctest.Prepend(snap, rows...)
	if err != nil {
		t.Fatal(err)
	}
	return feed
}

// Personal alerts end to end, on the real binary against fake Telegram,
// Discord and IRCC: a person's "/alert healthcare 470" in a private chat
// brings them the next healthcare draw with a cutoff of 469, once, and not
// the one with 480; a French speaker who asked in French words gets the
// French post; a Discord user gets theirs in the bot's DM; someone who
// blocked the bot is marked gone at Telegram's first 403 (the adapter's
// OnChatGone) and not tried again;
// and /forget leaves no row naming the person in any table.
func TestEndToEndPersonalAlerts(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	dc := e.discord()
	ana := faketelegram.User{ID: 5550001234, FirstName: "Ana"}
	elise := faketelegram.User{ID: 5550002345, FirstName: "Élise", LanguageCode: "fr"}
	bo := faketelegram.User{ID: 5550003456, FirstName: "Bo"}
	group := faketelegram.SupergroupChat(-1001, "Healthcare PR")
	e.tg.SetMember(group.ID, ana.ID, "member")
	stop := e.start()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
		t.Fatalf("discord did not connect: %v\n%s", err, e.logs.String())
	}

	// In a group, /alert says where to ask.
	e.tg.PushText(group, ana, "/alert healthcare 470")
	if r := e.waitSent(group.ID, "Personal alerts are set up in a private chat with me", 1)[0]; !strings.Contains(r.Plain, "subscribe") {
		t.Errorf("group /alert: %s", r.Plain)
	}
	e.tg.PushText(faketelegram.PrivateChat(ana), ana, "/alert healthcare 470")
	set := e.waitSent(ana.ID, "I'll message you here for healthcare draws with a cutoff of 470 or less", 1)[0]
	if !strings.Contains(set.Plain, "/alert_off") {
		t.Errorf("/alert answer: %s", set.Plain)
	}
	e.tg.PushText(faketelegram.PrivateChat(elise), elise, "préviens-moi des tirages santé")
	e.waitSent(elise.ID, "Je vous écrirai ici pour les tirages santé", 1)
	e.tg.PushText(faketelegram.PrivateChat(bo), bo, "alert me when a healthcare draw is under 500")
	e.waitSent(bo.ID, "I'll message you here for healthcare draws with a cutoff of 500 or less", 1)
	const discordUser = "600000000000000077"
	in := fakediscord.Interaction{Name: "alert", DM: true, UserID: discordUser, Options: []fakediscord.Option{{Name: "categories", Value: "healthcare"}}}
	id, err := dc.Push(in)
	if err != nil {
		t.Fatal(err)
	}
	if cb, err := dc.AwaitCallback(ctx, id); err != nil || !strings.Contains(string(cb.Raw), "message you here for healthcare draws") {
		t.Fatalf("discord /alert: %v %s", err, cb.Raw)
	}
	e.tg.Block(bo.ID, "Forbidden: bot was blocked by the user")

	// IRCC publishes a healthcare draw at 469, then one at 480.
	e.feed.Set(healthcareDraws(t, "469"))
	post := e.waitSent(ana.ID, "#438", 1)[0]
	if !strings.Contains(post.Plain, "🆕 Healthcare draw: CRS 469 · 3,500 invitations") || !strings.Contains(post.Plain, "Your alert. Stop: /alert_off") {
		t.Errorf("ana's post = %s", post.Plain)
	}
	fr := e.waitSent(elise.ID, "nº 438", 1)[0]
	if !strings.HasPrefix(fr.Plain, "🆕 Tirage Santé") || !strings.Contains(fr.Plain, "SCG 469") || !strings.Contains(fr.Plain, "par rapport au tirage santé précédent") ||
		!strings.Contains(fr.Plain, "Votre alerte. Arrêter") || !strings.Contains(fr.Plain, "/alert_off") {
		t.Errorf("élise's post = %s", fr.Plain)
	}
	if ms, err := dc.AwaitMessages(ctx, fakediscord.DMChannel(discordUser), 1); err != nil {
		t.Fatalf("discord DM post: %v\n%s", err, e.logs.String())
	} else if body := string(ms[0].Body); !strings.Contains(body, "CRS 469") || !strings.Contains(body, "Your alert. Stop: /alert off") {
		t.Errorf("discord DM post = %s", body)
	}

	e.feed.Set(healthcareDraws(t, "469", "480"))
	e.waitSent(elise.ID, "nº 439", 1)
	if _, err := dc.AwaitMessages(ctx, fakediscord.DMChannel(discordUser), 2); err != nil {
		t.Fatalf("discord DM post of #439: %v", err)
	}
	e.nextPoll()
	if got := len(e.sentWith(ana.ID, "#438")); got != 1 {
		t.Errorf("ana got #438 %d times, want once", got)
	}
	if got := e.sentWith(ana.ID, "#439"); len(got) != 0 {
		t.Errorf("ana got #439 (cutoff 480, over her 470): %s", got[0].Plain)
	}
	refused := 0
	for _, c := range e.tg.Rejected("sendMessage") {
		if c.ChatID == bo.ID {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("bo, who blocked the bot, was tried %d times, want once (then marked gone)", refused)
	}

	// ana asks to be forgotten.
	e.tg.PushText(faketelegram.PrivateChat(ana), ana, "/forget")
	gone := e.waitSent(ana.ID, "I deleted everything I kept about you", 1)[0]
	if !strings.Contains(gone.Plain, "1 alert, with the posts queued for it") || !strings.Contains(gone.Plain, "1 record of a post sent or queued to you") {
		t.Errorf("/forget = %s", gone.Plain)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, e.logs.String())
	}
	db, err := sql.Open("sqlite", e.env["DB_PATH"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if left := storetest.Mentions(t, db, "5550001234"); len(left) > 0 {
		t.Errorf("after /forget, rows still name ana:\n%s", strings.Join(left, "\n"))
	}
	// bo's alert is marked gone: #438 was dropped, #439 never queued.
	var dead string
	var queued int
	if err := db.QueryRow(`SELECT s.dead_at, (SELECT count(*) FROM deliveries d WHERE d.subscription_id = s.id AND d.status IN ('pending', 'sending'))
		FROM subscriptions s WHERE s.owner = '5550003456'`).Scan(&dead, &queued); err != nil || dead == "" || queued != 0 {
		t.Errorf("bo's alert: dead at %q, %d posts still queued, %v", dead, queued, err)
	}
	if left := storetest.Mentions(t, db, "5550002345"); len(left) == 0 {
		t.Error("élise, who asked for nothing, is gone too: the check proves nothing")
	}
}
