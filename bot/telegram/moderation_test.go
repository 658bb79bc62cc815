package telegram

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// storeHarness runs a bot over the real engine and a store the test can
// read. The clock is a few days after the snapshot, so a moderator can enter
// a draw dated after it.
func storeHarness(t *testing.T, cfg func(*Config)) (*harness, *store.DB) {
	t.Helper()
	db := storetest.Store(t)
	now := func() time.Time { return storetest.Now().Add(6 * 24 * time.Hour) }
	eng := commands.New(db, commands.WithClock(now), commands.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return start(t, eng, cfg), db
}

func subsOf(t *testing.T, db *store.DB, chatID int64) []domain.Subscription {
	t.Helper()
	subs, err := db.Subscriptions(context.Background(), domain.Telegram, strconv.FormatInt(chatID, 10))
	if err != nil {
		t.Fatal(err)
	}
	return subs
}

func outbox(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	c, err := db.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestGroupSubscriptions: an administrator subscribes a group, a member is
// refused and nothing changes, anyone can list, the administrator removes
// all.
func TestGroupSubscriptions(t *testing.T) {
	h, db := storeHarness(t, nil)
	h.srv.SetMember(group.ID, alice.ID, "administrator")

	c := h.ask(group, alice, "/subscribe healthcare 480")
	if !strings.Contains(c.Plain, "This chat will get a post for healthcare draws with a cutoff of 480 or less") {
		t.Errorf("admin subscribe:\n%s", c.Plain)
	}
	subs := subsOf(t, db, group.ID)
	if len(subs) != 1 || domain.JoinKeys(subs[0].Categories) != string(domain.Healthcare) || subs[0].MaxCRS != 480 || subs[0].CreatedBy != strconv.FormatInt(alice.ID, 10) {
		t.Fatalf("stored: %+v", subs)
	}

	// bob's Telegram is in French, and nothing set the group's language.
	c = h.ask(group, bob, "/subscribe@OurBot stem")
	if !strings.Contains(c.Plain, "Seules les personnes qui gèrent ce salon ou ce groupe") || !strings.Contains(c.Plain, "Rien n’a été changé") {
		t.Errorf("member subscribe:\n%s", c.Plain)
	}
	c = h.ask(group, bob, "/unsubscribe all")
	if !strings.Contains(c.Plain, "Seules les personnes qui gèrent") {
		t.Errorf("member unsubscribe:\n%s", c.Plain)
	}
	if got := subsOf(t, db, group.ID); len(got) != 1 || got[0].ID != subs[0].ID || len(got[0].Categories) != 1 {
		t.Fatalf("a member changed the subscriptions: %+v", got)
	}

	c = h.ask(group, bob, "/subscriptions")
	if !strings.Contains(c.Plain, "1 alerte de tirage") || !strings.Contains(c.Plain, "tirages santé") || !strings.Contains(c.Plain, "480 ou moins") {
		t.Errorf("subscriptions:\n%s", c.Plain)
	}

	h.ask(group, alice, "/subscribe stem")
	// Without a number, with two alerts: which one? A button each, and All.
	c = h.ask(group, alice, "/unsubscribe")
	kb := parseKeyboard(t, c.ReplyMarkup).data()
	if !strings.Contains(c.Plain, "This chat has several draw alerts: which one should stop?") || len(kb) != 3 || kb[2] != "All=act:unsubscribe:all" {
		t.Errorf("ambiguous unsubscribe: %q\n%s", kb, c.Plain)
	}
	if got := subsOf(t, db, group.ID); len(got) != 2 {
		t.Errorf("the question removed subscriptions: %+v", got)
	}
	c = h.ask(group, alice, "/unsubscribe all")
	if !strings.Contains(c.Plain, "Removed 2 draw alerts") {
		t.Errorf("unsubscribe all:\n%s", c.Plain)
	}
	if got := subsOf(t, db, group.ID); len(got) != 0 {
		t.Errorf("left after unsubscribe all: %+v", got)
	}
}

// TestAnonymousAdmin: a message an anonymous administrator sends as the
// group (sender_chat is the group, from is Telegram's GroupAnonymousBot)
// may manage the group.
func TestAnonymousAdmin(t *testing.T) {
	h, db := storeHarness(t, nil)
	anon := faketelegram.User{ID: 1087968824, IsBot: true, FirstName: "Group", UserName: "GroupAnonymousBot"}
	self := group
	text := "/subscribe@OurBot trades"
	h.srv.PushRaw(map[string]any{"message": faketelegram.Message{MessageID: 7, From: &anon, SenderChat: &self, Chat: group,
		Date: int(time.Now().Unix()), Text: text, Entities: faketelegram.CommandEntities(text)}})
	c := h.waitSent(group.ID, 1)[0]
	if !strings.Contains(c.Plain, "This chat will get a post for trades draws") || len(subsOf(t, db, group.ID)) != 1 {
		t.Errorf("anonymous admin:\n%s", c.Plain)
	}
	if n := len(h.srv.Calls("getChatMember")); n != 0 {
		t.Errorf("%d getChatMember calls for a message sent as the group", n)
	}
}

// TestChannelSubscribe: a channel's post subscribes it when the bot may post
// there; without the right, nothing is stored and the refusal says why.
func TestChannelSubscribe(t *testing.T) {
	h, db := storeHarness(t, nil)
	me := h.srv.Me().ID
	news := faketelegram.ChannelChat(-1009876543210, "EE news")
	h.srv.SetMemberRights(news.ID, me, "administrator", true)

	h.srv.PushChannelPost(news, "/cutoff healthcare")       // not for channels
	h.srv.PushChannelPost(news, "/subscribe@OtherBot stem") // another bot's
	p := h.srv.PushChannelPost(news, "/subscribe@OurBot healthcare 490")
	c := h.waitSent(news.ID, 1)[0]
	if !strings.Contains(c.Plain, "will get a post for healthcare draws with a cutoff of 490 or less") || c.ReplyTo != p.MessageID {
		t.Errorf("channel subscribe: reply_to=%d\n%s", c.ReplyTo, c.Plain)
	}
	subs := subsOf(t, db, news.ID)
	if len(subs) != 1 || subs[0].MaxCRS != 490 || subs[0].Categories[0] != domain.Healthcare {
		t.Fatalf("stored: %+v", subs)
	}
	h.srv.PushChannelPost(news, "/subscriptions")
	if c := h.waitSent(news.ID, 2)[1]; !strings.Contains(c.Plain, "490 or less") {
		t.Errorf("channel subscriptions:\n%s", c.Plain)
	}
	h.srv.PushChannelPost(news, "/unsubscribe")
	if c := h.waitSent(news.ID, 3)[2]; !strings.Contains(c.Plain, "Removed 1 draw alert from") {
		t.Errorf("channel unsubscribe:\n%s", c.Plain)
	}
	if len(subsOf(t, db, news.ID)) != 0 {
		t.Error("channel still subscribed")
	}
	if n := len(h.srv.Sent(news.ID)); n != 3 {
		t.Errorf("channel got %d messages, want 3 (the other commands are ignored)", n)
	}

	// An administrator without the Post messages right: refused.
	mute := faketelegram.ChannelChat(-1001111111111, "Muted")
	h.srv.SetMemberRights(mute.ID, me, "administrator", false)
	h.srv.PushChannelPost(mute, "/subscribe")
	var refusal faketelegram.Call
	err := h.srv.Wait(ctxT(t), func(v faketelegram.View) bool {
		for _, c := range v.Rejected("sendMessage") {
			if c.ChatID == mute.ID {
				refusal = c
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(refusal.Text, "I need to be an administrator who can post here") {
		t.Errorf("refusal text: %s", refusal.Text)
	}
	if len(subsOf(t, db, mute.ID)) != 0 {
		t.Error("a channel where the bot cannot post was subscribed")
	}
	if !strings.Contains(h.logs.String(), "channel subscription refused") {
		t.Errorf("refusal not logged:\n%s", h.logs.String())
	}
	var checked bool
	for _, c := range h.srv.Calls("getChatMember") {
		if c.ChatID == mute.ID && c.Form.Get("user_id") == strconv.FormatInt(me, 10) {
			checked = true
		}
	}
	if !checked {
		t.Error("the bot's own rights were not checked")
	}
}

// announceSetup subscribes the group to every draw and returns the harness
// with alice a moderator (and the group's administrator).
func announceSetup(t *testing.T) (*harness, *store.DB) {
	h, db := storeHarness(t, func(c *Config) { c.Moderators = []int64{alice.ID} })
	h.srv.SetMember(group.ID, alice.ID, "administrator")
	if c := h.ask(group, alice, "/subscribe"); !strings.Contains(c.Plain, "This chat will get a post for every draw") {
		t.Fatalf("subscribe: %s", c.Plain)
	}
	return h, db
}

// TestAnnounce: a moderator's /announce in a group is previewed in their
// private chat with Post and Cancel; a non-moderator's press is refused;
// the moderator's Post queues the post and edits the preview in place.
func TestAnnounce(t *testing.T) {
	h, db := announceSetup(t)
	inGroup := len(h.srv.Sent(group.ID))

	h.srv.PushText(group, alice, "/announce@OurBot")
	preview := h.waitSent(alice.ID, 1)[0]
	checkMessage(t, preview)
	if !strings.Contains(preview.Plain, "📣 French-language draw: CRS 382 · 5,000 invitations") || !strings.Contains(preview.Plain, "#437 · Aug 19, 2026") ||
		!strings.Contains(preview.Plain, "Preview. Post sends this to 1 subscribed destination") {
		t.Errorf("preview:\n%s", preview.Plain)
	}
	kb := parseKeyboard(t, preview.ReplyMarkup)
	post := kb.Rows[0][0].CallbackData
	id := strings.TrimPrefix(post, "act:announce:post 437 ")
	if got := strings.Join(kb.data(), " "); len(id) != 16 || got != "Post to 1 destination="+post+" Cancel=act:announce:cancel 437 "+id {
		t.Errorf("preview keyboard: %q", got)
	}
	if n := len(h.srv.Sent(group.ID)); n != inGroup {
		t.Errorf("the group got %d messages about the announcement", n-inGroup)
	}

	// bob is no moderator: his /announce is refused where he typed it, and
	// his press on the preview (were he able to see it) changes nothing.
	// His Telegram is in French.
	c := h.ask(group, bob, "/announce")
	if !strings.Contains(c.Plain, "Seuls les modérateurs du bot peuvent faire cela") || !strings.Contains(c.Plain, "Rien n’a été changé") {
		t.Errorf("non-moderator announce:\n%s", c.Plain)
	}
	qid := h.srv.PushCallback(faketelegram.PrivateChat(alice), bob, preview.MessageID, post)
	answers, err := h.srv.WaitCalls(ctxT(t), "answerCallbackQuery", 1)
	if err != nil {
		t.Fatal(err)
	}
	if a := answers[0]; a.CallbackID != qid || !strings.Contains(a.Text, "Seuls les modérateurs du bot") || a.Form.Get("show_alert") != "true" {
		t.Errorf("refused press answered with %q (alert %s)", a.Text, a.Form.Get("show_alert"))
	}
	if n := outbox(t, db)["pending"]; n != 0 {
		t.Errorf("a non-moderator's press queued %d posts", n)
	}
	if html, markup, _ := h.srv.MessageText(alice.ID, preview.MessageID); html != preview.Text || markup != preview.ReplyMarkup {
		t.Error("a non-moderator's press changed the preview")
	}

	// alice presses Post.
	qid = h.srv.PushCallback(faketelegram.PrivateChat(alice), alice, preview.MessageID, post)
	edits, err := h.srv.WaitCalls(ctxT(t), "editMessageText", 1)
	if err != nil {
		t.Fatal(err)
	}
	e := edits[0]
	if e.ChatID != alice.ID || e.MessageID != preview.MessageID || !strings.Contains(e.Plain, "queued to 1 destination") || e.ReplyMarkup != "" {
		t.Errorf("edit: chat %d message %d markup %q\n%s", e.ChatID, e.MessageID, e.ReplyMarkup, e.Plain)
	}
	if _, markup, _ := h.srv.MessageText(alice.ID, preview.MessageID); markup != "" {
		t.Errorf("keyboard left on the preview: %s", markup)
	}
	answers = h.srv.Calls("answerCallbackQuery")
	if len(answers) != 2 || answers[1].CallbackID != qid || answers[1].Form.Get("show_alert") == "true" {
		t.Errorf("answers: %+v", answers)
	}
	if n := outbox(t, db)["pending"]; n != 1 {
		t.Errorf("%d pending deliveries, want 1", n)
	}
	if n := len(h.srv.Sent(alice.ID)); n != 1 {
		t.Errorf("Post sent %d new messages to the moderator", n-1)
	}

	// Cancel on a second preview, asked in the private chat.
	p2 := h.ask(faketelegram.PrivateChat(alice), alice, "/announce 436")
	h.srv.PushCallback(faketelegram.PrivateChat(alice), alice, p2.MessageID, parseKeyboard(t, p2.ReplyMarkup).Rows[0][1].CallbackData)
	edits, err = h.srv.WaitCalls(ctxT(t), "editMessageText", 2)
	if err != nil {
		t.Fatal(err)
	}
	if e := edits[1]; e.MessageID != p2.MessageID || !strings.Contains(e.Plain, "Nothing was posted about draw #436") {
		t.Errorf("cancel edit:\n%s", e.Plain)
	}
	if n := outbox(t, db)["pending"]; n != 1 {
		t.Errorf("%d pending deliveries after Cancel, want 1", n)
	}
}

// TestAnnounceNoPrivateChat: when the moderator never started a chat with
// the bot, the group gets a short note instead.
func TestAnnounceNoPrivateChat(t *testing.T) {
	h, _ := announceSetup(t)
	h.srv.Block(alice.ID, faketelegram.NotStarted.Description)
	c := h.ask(group, alice, "/announce")
	if !strings.Contains(c.Plain, "Start a private chat with me first") || !strings.Contains(c.Text, `href="https://t.me/OurBot"`) || c.ReplyTo == 0 {
		t.Errorf("note:\n%s", c.Plain)
	}
	if c.ReplyMarkup != "" || strings.Contains(c.Plain, "Preview") {
		t.Errorf("the preview leaked into the group:\n%s", c.Plain)
	}
}

// TestDrawAdd: a moderator's /draw add is stored as moderator-entered and
// queued to matching subscriptions; the answer goes to the private chat.
// Anyone else is refused.
func TestDrawAdd(t *testing.T) {
	h, db := announceSetup(t)
	ctx := ctxT(t)
	c := h.ask(group, bob, "/draw add 439 2026-08-25 healthcare 3000 470") // bob's Telegram is in French
	if !strings.Contains(c.Plain, "Seuls les modérateurs du bot peuvent faire cela") {
		t.Errorf("non-moderator draw add:\n%s", c.Plain)
	}
	if _, err := db.Draw(ctx, "439"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("draw 439 stored: %v", err)
	}

	inGroup := len(h.srv.Sent(group.ID))
	h.srv.PushText(group, alice, "/draw@OurBot add 438 2026-08-25 healthcare 3000 470")
	c = h.waitSent(alice.ID, 1)[0]
	if !strings.Contains(c.Plain, "Draw #438 stored") || !strings.Contains(c.Plain, "entered by a moderator") {
		t.Errorf("draw add answer:\n%s", c.Plain)
	}
	d, err := db.Draw(ctx, "438")
	if err != nil || d.Origin != domain.OriginModerator || d.CRS != 470 || d.Size != 3000 || d.Category != domain.Healthcare {
		t.Fatalf("stored draw: %+v %v", d, err)
	}
	if n := outbox(t, db)["pending"]; n != 1 {
		t.Errorf("%d pending deliveries, want 1", n)
	}
	if n := len(h.srv.Sent(group.ID)); n != inGroup {
		t.Errorf("the group got %d messages", n-inGroup)
	}
}

// TestModeratorMenu: each moderator's private chat gets the full menu, with
// the moderator commands, in both languages.
func TestModeratorMenu(t *testing.T) {
	h := start(t, nil, func(c *Config) { c.Moderators = []int64{alice.ID, bob.ID} })
	if err := h.srv.Wait(ctxT(t), func(v faketelegram.View) bool { return len(v.Calls("setMyCommands")) >= 10 }); err != nil {
		t.Fatal(err)
	}
	// start is a Hidden command: it works when typed but is in no menu.
	const public = "eligible cutoff draws history pool stats chart next match crs noc oinp categories about help alert alerts forget"
	const group = "eligible cutoff draws history pool stats chart next match crs noc oinp categories about help forget"
	names := func(m faketelegram.Menu) string {
		var out []string
		for _, c := range m.Commands {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	type key struct {
		scope string
		chat  int64
		lang  string
	}
	got := map[key]string{}
	for _, m := range h.srv.Menus() {
		got[key{m.Scope, m.ScopeChatID, m.LanguageCode}] = names(m)
	}
	want := map[key]string{
		{"default", 0, ""}:                   public,
		{"default", 0, "fr"}:                 public,
		{"all_group_chats", 0, ""}:           group,
		{"all_group_chats", 0, "fr"}:         group,
		{"all_chat_administrators", 0, ""}:   group + " subscribe language subscriptions unsubscribe",
		{"all_chat_administrators", 0, "fr"}: group + " subscribe language subscriptions unsubscribe",
		{"chat", alice.ID, ""}:               public + " subscribe language subscriptions unsubscribe announce draw",
		{"chat", alice.ID, "fr"}:             public + " subscribe language subscriptions unsubscribe announce draw",
		{"chat", bob.ID, ""}:                 public + " subscribe language subscriptions unsubscribe announce draw",
		{"chat", bob.ID, "fr"}:               public + " subscribe language subscriptions unsubscribe announce draw",
	}
	if len(got) != len(want) {
		t.Errorf("%d menus, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("menu %+v: %q\nwant %q", k, got[k], w)
		}
	}
}

// TestActionData: action buttons carry the request when it fits in 64
// bytes and a short key otherwise; a keyboard holds the pager row first.
func TestActionData(t *testing.T) {
	k := newPageKeys(16)
	short := reply.Action{Label: "Post to 3", Command: "announce", Args: "post 437"}
	if d := k.actionData(short); d != "act:announce:post 437" {
		t.Errorf("short: %q", d)
	}
	long := reply.Action{Label: "Go", Command: "announce", Args: strings.Repeat("é", 40)}
	d := k.actionData(long)
	if !strings.HasPrefix(d, actionKeyPrefix) || len(d) > MaxCallbackData {
		t.Fatalf("long: %q", d)
	}
	for _, a := range []reply.Action{short, long} {
		req, ok := k.parseActionData(k.actionData(a))
		if !ok || req.command != a.Command || req.args != a.Args {
			t.Errorf("round trip of %+v: %+v %v", a, req, ok)
		}
	}
	if _, ok := k.parseActionData("ak:nope"); ok {
		t.Error("unknown key parsed")
	}
	kb := k.keyboard(reply.Reply{Pager: &reply.Pager{Command: "history", Page: 1, Pages: 2},
		Actions: []reply.Action{short, {Label: "Cancel", Command: "announce", Args: "cancel 437"}, {Label: "x"}, short, short}}, testWords)
	if len(kb.InlineKeyboard) != 3 || len(kb.InlineKeyboard[1]) != 3 || len(kb.InlineKeyboard[2]) != 1 {
		t.Fatalf("rows: %+v", kb.InlineKeyboard)
	}
	if *kb.InlineKeyboard[0][0].CallbackData != "pg:history:2:" || *kb.InlineKeyboard[1][1].CallbackData != "act:announce:cancel 437" {
		t.Errorf("keyboard: %+v", kb.InlineKeyboard)
	}
	if k.keyboard(reply.Reply{}, testWords) != nil {
		t.Error("keyboard without pager or actions")
	}
}

// TestExpiredAction: a press on an action that expired is answered.
func TestExpiredAction(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	c := h.ask(chat, alice, "/about")
	qid := h.srv.PushCallback(chat, alice, c.MessageID, "ak:zz")
	a, err := h.srv.WaitCalls(ctxT(t), "answerCallbackQuery", 1)
	if err != nil {
		t.Fatal(err)
	}
	if a[0].CallbackID != qid || !strings.Contains(a[0].Text, "expired") {
		t.Errorf("answer: %+v", a[0])
	}
}

// TestAnnounceOncePerPreview: Post pressed three times (a double tap, a
// second device) queues one post per subscription; the later presses say
// it was already posted, and every edit takes the keyboard away.
func TestAnnounceOncePerPreview(t *testing.T) {
	h, db := announceSetup(t)
	private := faketelegram.PrivateChat(alice)
	preview := h.ask(private, alice, "/announce")
	kb := parseKeyboard(t, preview.ReplyMarkup)
	if len(kb.Rows) != 1 || len(kb.Rows[0]) != 2 {
		t.Fatalf("preview keyboard %q", preview.ReplyMarkup)
	}
	post, cancel := kb.Rows[0][0].CallbackData, kb.Rows[0][1].CallbackData
	for range 3 {
		h.srv.PushCallback(private, alice, preview.MessageID, post)
	}
	answers, err := h.srv.WaitCalls(ctxT(t), "answerCallbackQuery", 3)
	if err != nil {
		t.Fatal(err)
	}
	if n := outbox(t, db)["pending"]; n != 1 {
		t.Errorf("3 presses of Post queued %d posts to the one subscription, want 1", n)
	}
	// The first edit says it is queued, the next that it was posted (the
	// third says the same again: Telegram leaves such an edit out).
	edits, err := h.srv.WaitCalls(ctxT(t), "editMessageText", 2)
	if err != nil {
		t.Fatal(err)
	}
	// Presses are answered concurrently: in any order.
	queuedEdits, postedEdits := 0, 0
	for _, e := range edits {
		switch {
		case strings.Contains(e.Plain, "queued to 1 destination"):
			queuedEdits++
		case strings.Contains(e.Plain, "Already posted") && strings.Contains(e.Plain, "Aug 26, 2026"):
			postedEdits++
		default:
			t.Errorf("edit:\n%s", e.Plain)
		}
	}
	if queuedEdits != 1 || postedEdits == 0 {
		t.Errorf("%d edits say queued, %d already posted", queuedEdits, postedEdits)
	}
	for i, e := range edits {
		if e.ReplyMarkup != "" || e.MessageID != preview.MessageID {
			t.Errorf("edit %d left a keyboard %q on message %d", i, e.ReplyMarkup, e.MessageID)
		}
	}
	if _, markup, _ := h.srv.MessageText(alice.ID, preview.MessageID); markup != "" {
		t.Errorf("keyboard left on the preview: %s", markup)
	}
	already := 0
	for _, a := range answers {
		if strings.Contains(a.Text, "Already posted") && strings.Contains(a.Text, "1 destination") {
			already++
		}
	}
	if already != 2 {
		t.Errorf("%d presses were told it was already posted, want 2: %+v", already, answers)
	}
	// Cancel after Post withdraws nothing.
	h.srv.PushCallback(private, alice, preview.MessageID, cancel)
	if answers, err = h.srv.WaitCalls(ctxT(t), "answerCallbackQuery", 4); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answers[3].Text, "Already posted") || outbox(t, db)["pending"] != 1 {
		t.Errorf("cancel after post: %q", answers[3].Text)
	}
}
