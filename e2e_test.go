package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// e2e is the whole bot, run through run() against fake IRCC and Telegram
// servers, on a database file already seeded (TestRunConsole covers run
// seeding a fresh one).
type e2e struct {
	t    *testing.T
	feed *ircctest.Server
	tg   *faketelegram.Server
	env  map[string]string
	logs *testlog.Buffer
}

// discord starts the Discord fake and points the bot at it.
func (e *e2e) discord() *fakediscord.Server {
	dc := fakediscord.Start(e.t)
	e.env["DISCORD_BOT_TOKEN"] = dc.Token
	e.env["DISCORD_API_URL"] = dc.APIURL
	e.env["DISCORD_GUILD_ID"] = fakediscord.GuildID
	return dc
}

func newE2E(t *testing.T) *e2e {
	snap, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		t.Fatal(err)
	}
	e := &e2e{t: t, feed: ircctest.New(snap), tg: faketelegram.New(), logs: &testlog.Buffer{}}
	t.Cleanup(e.feed.Close)
	t.Cleanup(e.tg.Close)
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, dbPath)
	e.env = map[string]string{
		"DB_PATH":                 dbPath,
		"IRCC_FEED_URL":           e.feed.URL,
		"POLL_INTERVAL":           "1s",
		"POLL_OFF_HOURS_INTERVAL": "1s",
		"TELEGRAM_BOT_TOKEN":      e.tg.Token(),
		"TELEGRAM_API_ENDPOINT":   e.tg.Endpoint(),
		"BOT_ADMINS":              "telegram:777",
		"LOG_LEVEL":               "debug",
	}
	return e
}

// start runs the bot until the returned stop is called; stop returns run's exit code.
func (e *e2e) start() (stop func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, strings.NewReader(""), &bytes.Buffer{}, e.logs, env(e.env))
	}()
	return func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(20 * time.Second):
			e.t.Fatal("the bot did not stop within 20 s of SIGTERM")
			return -1
		}
	}
}

// waitSent waits until chat has n messages whose text contains want.
func (e *e2e) waitSent(chat int64, want string, n int) []faketelegram.Call {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	count := func(calls []faketelegram.Call) int {
		k := 0
		for _, c := range calls {
			if c.ChatID == chat && strings.Contains(c.Text, want) {
				k++
			}
		}
		return k
	}
	if err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return count(v.Calls("sendMessage")) >= n }); err != nil {
		e.t.Fatalf("chat %d: %d messages containing %q, want %d; log:\n%s", chat, len(e.sentWith(chat, want)), want, n, e.logs.String())
	}
	return e.sentWith(chat, want)
}

// nextPoll waits until the bot has made one whole poll of the feed that
// started after the call: the poller asks one request at a time, so the
// second request from now comes after the first one's poll has finished.
func (e *e2e) nextPoll() {
	e.t.Helper()
	e.awaitRequests(e.feed.Requests.Load() + 2)
}

func (e *e2e) awaitRequests(n int64) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := e.feed.AwaitRequests(ctx, n); err != nil {
		e.t.Fatalf("feed polls: %v; log:\n%s", err, e.logs.String())
	}
}

// waitLog waits until the log contains want n times.
func (e *e2e) waitLog(want string, n int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := e.logs.Wait(ctx, func(log string) bool { return strings.Count(log, want) >= n }); err != nil {
		e.t.Fatalf("%d log lines with %q, want %d; log:\n%s", strings.Count(e.logs.String(), want), want, n, e.logs.String())
	}
}

// newDraw returns the snapshot plus draw #438 (healthcare) dated today.
func newDraw(t *testing.T, crs string) []byte {
	snap, _ := data.Files.ReadFile(data.IRCCFeed)
	today := time.Now().UTC()
	row, err := ircctest.NewDraw(snap, "438", ircctest.Round{
		"drawName": "Healthcare and Social Services Occupations, 2026-Version 3", "drawDate": today.Format("2006-01-02"),
		"drawDateFull": today.Format("January 2, 2006"), "drawDateTime": today.Format("January 2, 2006") + " at 14:02:11 UTC",
		"drawCRS": crs, "drawSize": "3,500", "drawCutOff": "June 2, 2026 at 09:15:00 UTC"})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := ircctest.Prepend(snap, row)
	if err != nil {
		t.Fatal(err)
	}
	return feed
}

func TestEndToEndTelegram(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	admin := faketelegram.User{ID: 1, FirstName: "Ada", UserName: "ada"}
	member := faketelegram.User{ID: 2, FirstName: "Max", UserName: "max"}
	health := faketelegram.SupergroupChat(-1001, "Healthcare PR")
	every := faketelegram.SupergroupChat(-1002, "All draws")
	stem := faketelegram.SupergroupChat(-1003, "STEM")
	for _, c := range []faketelegram.Chat{health, every, stem} {
		e.tg.SetMember(c.ID, admin.ID, "administrator")
		e.tg.SetMember(c.ID, member.ID, "member")
	}
	stop := e.start()
	e.tg.PushText(health, member, "/subscribe healthcare")
	e.waitSent(health.ID, "Only people who can manage", 1)
	e.tg.PushText(health, admin, "/subscribe healthcare")
	e.tg.PushText(every, admin, "/subscribe")
	e.tg.PushText(stem, admin, "/subscribe stem")
	e.waitSent(health.ID, "will get a post", 1)
	e.waitSent(every.ID, "will get a post", 1)
	e.waitSent(stem.ID, "will get a post", 1)

	// IRCC publishes a healthcare draw.
	e.feed.Set(newDraw(t, "471"))
	post := e.waitSent(health.ID, "#438", 1)[0]
	// A news card: what is new first, then the change, once each.
	if !strings.Contains(post.Plain, "🆕 Healthcare draw: CRS 471 · 3,500 invitations") || strings.Count(post.Plain, "3,500") != 1 ||
		!strings.Contains(post.Text, "▼4 vs the previous healthcare draw (475, Jun 25, 2026)") || !strings.Contains(post.Text, "invitations.html?q=438") ||
		strings.Contains(post.Plain, "data as of") {
		t.Errorf("post = %s", post.Text)
	}
	e.waitSent(every.ID, "#438", 1)
	// /about tells, for people, when IRCC was last checked and the latest draw.
	e.tg.PushText(every, member, "/about")
	today := time.Now().UTC().Format("Jan 2, 2006")
	about := e.waitSent(every.ID, "I answer questions about Express Entry draws", 1)[0]
	if !strings.Contains(about.Plain, "Checked IRCC just now") && !strings.Contains(about.Plain, "Checked IRCC 1 minute ago") ||
		!strings.Contains(about.Plain, "Latest draw: #438 on "+today) {
		t.Errorf("/about = %s", about.Plain)
	}
	e.nextPoll() // another poll: nothing new
	if code := stop(); code != 0 {
		t.Errorf("exit code %d; log:\n%s", code, e.logs.String())
	}

	// A malformed and then a shrunken feed change nothing, across a restart.
	e.feed.Set([]byte(`{"rounds": [`))
	stop = e.start()
	e.waitLog("feed rejected", 1)
	rounds, _ := ircctest.Rounds(newDraw(t, "471"))
	e.feed.Set(ircctest.Encode(rounds[2:]))
	e.waitLog("is missing", 1)
	stop()
	for chat, want := range map[int64]int{health.ID: 1, every.ID: 1, stem.ID: 0} {
		if got := len(e.sentWith(chat, "🆕 Healthcare draw: CRS 471")); got != want {
			t.Errorf("chat %d got %d posts of #438, want %d", chat, got, want)
		}
	}
	if !strings.Contains(e.logs.String(), "feed rejected") {
		t.Errorf("bad feeds were not logged as rejected:\n%s", e.logs.String())
	}
	if strings.Contains(e.logs.String(), e.tg.Token()) {
		t.Error("the token reached the log")
	}
}

// sentWith returns the messages chat has received so far containing want.
func (e *e2e) sentWith(chat int64, want string) []faketelegram.Call {
	var got []faketelegram.Call
	for _, c := range e.tg.Sent(chat) {
		if strings.Contains(c.Text, want) {
			got = append(got, c)
		}
	}
	return got
}

// Both platforms at once: a Discord channel and a Telegram group subscribed
// to healthcare get the new draw once each; a STEM channel gets nothing.
func TestEndToEndDiscordAndTelegram(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	dc := e.discord()
	admin := faketelegram.User{ID: 1, FirstName: "Ada"}
	group := faketelegram.SupergroupChat(-1001, "Healthcare PR")
	e.tg.SetMember(group.ID, admin.ID, "administrator")
	stop := e.start()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil { // commands registered
		t.Fatalf("discord did not connect: %v\n%s", err, e.logs.String())
	}
	// Let the first poll finish: it rewrites every snapshot draw as the
	// feed's in one transaction, which under the race detector on a busy
	// machine can outlast the 3 s Discord gives an interaction's answer.
	e.awaitRequests(2)
	e.tg.PushText(group, admin, "/subscribe healthcare")
	e.waitSent(group.ID, "will get a post", 1)
	const healthCh, stemCh, refusedCh = "300000000000000011", "300000000000000012", "300000000000000013"
	subscribe := func(ch, cats string, perms int64) fakediscord.Callback {
		id, err := dc.Push(fakediscord.Interaction{Name: "subscribe", ChannelID: ch, Permissions: perms,
			Options: []fakediscord.Option{{Name: "categories", Value: cats}}})
		if err != nil {
			t.Fatal(err)
		}
		cb, err := dc.AwaitCallback(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return cb
	}
	for _, c := range []struct {
		ch, cats string
		perms    int64
		want     string
	}{
		{healthCh, "healthcare", fakediscord.PermManageChannels, "will get a post"},
		{stemCh, "stem", fakediscord.PermManageChannels, "will get a post"},
		{refusedCh, "healthcare", 0, "Only people who can manage"},
	} {
		if cb := subscribe(c.ch, c.cats, c.perms); !strings.Contains(string(cb.Raw), c.want) {
			t.Errorf("/subscribe in %s: %s", c.ch, cb.Raw)
		}
	}
	e.feed.Set(newDraw(t, "471"))
	msgs, err := dc.AwaitMessages(ctx, healthCh, 1)
	if err != nil {
		t.Fatalf("no Discord post: %v\n%s", err, e.logs.String())
	}
	var body struct {
		Embeds []struct {
			Title, URL string
			Fields     []struct{ Name, Value string }
		}
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	}
	if err := msgs[0].JSON(&body); err != nil || len(body.Embeds) != 1 || !strings.Contains(body.Embeds[0].Title, "🆕 Healthcare draw: CRS 471") ||
		!strings.HasSuffix(body.Embeds[0].URL, "?q=438") || body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 {
		t.Errorf("discord post = %s (%v)", msgs[0].Body, err)
	}
	e.waitSent(group.ID, "#438", 1)
	e.nextPoll() // one more poll: nothing new
	if code := stop(); code != 0 {
		t.Errorf("exit %d\n%s", code, e.logs.String())
	}
	counts := dc.MessageCounts()
	if counts[healthCh] != 1 || counts[stemCh] != 0 || counts[refusedCh] != 0 || len(e.sentWith(group.ID, "#438")) != 1 {
		t.Errorf("posts: discord %v, telegram %d", counts, len(e.sentWith(group.ID, "#438")))
	}
	if strings.Contains(e.logs.String(), dc.Token) || strings.Contains(e.logs.String(), e.tg.Token()) {
		t.Error("a token reached the log")
	}
}
