//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/httpserver"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// The fleet test runs three replicas of the bot as processes of their own
// (spawn, as the crash tests do) on one Postgres database, behind a
// round-robin proxy, with the fakes in the test's process: Discord sends
// signed HTTP interactions to the proxy, Telegram delivers updates to the
// proxy's webhook URL with the secret, IRCC serves the feed and records
// which replica fetched it (the poller names its replica in its
// User-Agent).

// Sizes of the fleet test's fan-out: Telegram groups and Discord channels
// subscribed to every draw (1,000 destinations in all). The leader paces
// Telegram at 30 posts/s, so 600 take 20 s; Discord goes alongside.
var (
	fleetTelegram = envInt("FLEET_TELEGRAM", 600)
	fleetDiscord  = envInt("FLEET_DISCORD", 400)
)

// fleetKillAfter is how many fan-out posts Telegram accepts before the
// leader is killed.
const fleetKillAfter = 150

// fleetLease is OUTBOX_CLAIM_LEASE in the fleet test: the killed leader's
// claims come back this long after it made them.
const fleetLease = 15 * time.Second

// overLimit is how far over a platform's rate a second of posts counted
// at the fakes may go. The pacers let posts go evenly spaced (they are
// checked to the message in their packages' tests), but between a pacer
// and the fake a post waits for a core (three bots built with -race,
// Postgres and the test share 2 cores), for a connection and, on Discord,
// for discordgo's bucket locks: measured here up to ~180 ms, which bunches
// arrivals (up to 59 Discord posts, 32 Telegram ones in a second). Two
// senders at once would go twice the rate.
const overLimit = 1.25

// fleetWait bounds each wait of the fleet test.
const fleetWait = 60 * time.Second

// replica is one of the fleet's bots: its name, address, current run and
// log (across its runs).
type replica struct {
	id, addr string
	run      *bot
	logs     *testlog.Buffer
}

type fleet struct {
	t        *testing.T
	feed     *ircctest.Server
	tg       *faketelegram.Server
	dc       *fakediscord.Server
	proxy    *rrProxy
	env      map[string]string
	replicas []*replica
}

// newFleet makes the fakes (Telegram, and Discord when asked, answering
// 429 as the platforms would by their models of the limits; the tests
// also count strictly), an IRCC feed serving the snapshot, n replicas'
// names and addresses, and the round-robin proxy in front of them.
func newFleet(t *testing.T, n int, discord bool) *fleet {
	snap, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleet{t: t, feed: ircctest.New(snap), tg: faketelegram.New()}
	t.Cleanup(f.feed.Close)
	t.Cleanup(f.tg.Close)
	f.tg.EnforceLimits(faketelegram.TelegramLimits)
	if discord {
		f.dc = fakediscord.Start(t)
		f.dc.EnforceLimits(fakediscord.DiscordLimits(1))
	}
	var addrs []string
	for i := range n {
		r := &replica{id: fmt.Sprintf("r%d", i+1), addr: freeAddr(t), logs: &testlog.Buffer{}}
		f.replicas = append(f.replicas, r)
		addrs = append(addrs, r.addr)
	}
	f.proxy = newProxy(t, addrs)
	return f
}

// environ is every replica's environment on the database at dbURL:
// Telegram by webhook through the proxy, Discord's HTTP interactions when
// the fleet has the Discord fake, the feed polled every second.
func (f *fleet) environ(dbURL string) map[string]string {
	env := map[string]string{
		"DATABASE_URL":            dbURL,
		"IRCC_FEED_URL":           f.feed.URL,
		"POLL_INTERVAL":           "1s",
		"POLL_OFF_HOURS_INTERVAL": "1s",
		"TELEGRAM_BOT_TOKEN":      f.tg.Token(),
		"TELEGRAM_API_ENDPOINT":   f.tg.Endpoint(),
		"TELEGRAM_WEBHOOK_URL":    f.proxy.srv.URL + "/telegram/webhook",
		"TELEGRAM_WEBHOOK_SECRET": "fleet-secret_0123456789",
		"LOG_LEVEL":               "info",
	}
	if f.dc != nil {
		env["DISCORD_BOT_TOKEN"], env["DISCORD_API_URL"], env["DISCORD_GUILD_ID"] = f.dc.Token, f.dc.APIURL, fakediscord.GuildID
		env["DISCORD_MODE"], env["DISCORD_PUBLIC_KEY"] = "http", f.dc.PublicKey()
	}
	return env
}

func (f *fleet) start(r *replica) {
	env := maps.Clone(f.env)
	env["REPLICA_ID"], env["HTTP_ADDR"] = r.id, r.addr
	r.run = spawn(f.t, env, io.Discard, r.logs)
}

func (f *fleet) byID(id string) *replica {
	for _, r := range f.replicas {
		if r.id == id {
			return r
		}
	}
	f.t.Fatalf("no replica %q", id)
	return nil
}

// dump is every replica's log, for a failure.
func (f *fleet) dump() string {
	var b strings.Builder
	for _, r := range f.replicas {
		fmt.Fprintf(&b, "--- %s:\n%s\n", r.id, r.logs.String())
	}
	return b.String()
}

// readyz fetches a replica's /readyz; an error when it does not answer.
func readyz(addr string) (int, httpserver.Readiness, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, httpserver.Readiness{}, err
	}
	defer resp.Body.Close()
	var rd httpserver.Readiness
	err = json.NewDecoder(resp.Body).Decode(&rd)
	if err == nil && rd.Role == nil {
		err = fmt.Errorf("no role in /readyz")
	}
	return resp.StatusCode, rd, err
}

// poll calls cond every 20 ms until it holds, failing the test after
// fleetWait.
func (f *fleet) poll(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(fleetWait)
	for !cond() {
		if time.Now().After(deadline) {
			f.t.Fatalf("not %s within %v; logs:\n%s", what, fleetWait, f.dump())
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-f.t.Context().Done():
			f.t.Fatal(f.t.Context().Err())
		}
	}
}

// leader waits until one of the replicas (but not the one named except)
// says in /readyz that it leads, checking on the way that no two do at
// once, and returns its name.
func (f *fleet) leader(except string) string {
	f.t.Helper()
	var lead string
	f.poll("led", func() bool {
		var leading []string
		for _, r := range f.replicas {
			if r.id == except {
				continue
			}
			if _, rd, err := readyz(r.addr); err == nil && rd.Leading {
				leading = append(leading, r.id)
			}
		}
		if len(leading) > 1 {
			f.t.Errorf("%v all lead at once", leading)
		}
		if len(leading) == 1 {
			lead = leading[0]
		}
		return lead != ""
	})
	return lead
}

// rrProxy is the load balancer: each request goes to the next replica in
// turn. A Telegram update delivered again goes to another replica than the
// one that took it first, to check the deduplication across replicas.
type rrProxy struct {
	srv      *httptest.Server
	backends []*httputil.ReverseProxy
	next     atomic.Uint64

	mu    sync.Mutex
	first map[int]int // update_id → backend that took it first
	hits  []proxyHit
}

type proxyHit struct {
	backend  int
	path     string
	updateID int   // Telegram's; 0 for others
	chatID   int64 // the update's chat
	again    bool  // the update was delivered before
	status   int
}

func newProxy(t *testing.T, addrs []string) *rrProxy {
	p := &rrProxy{first: map[int]int{}}
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	for _, a := range addrs {
		u := &url.URL{Scheme: "http", Host: a}
		p.backends = append(p.backends, &httputil.ReverseProxy{
			Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
			Transport: tr,
			ErrorLog:  log.New(io.Discard, "", 0),
		})
	}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *rrProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h := proxyHit{path: r.URL.Path, backend: int(p.next.Add(1) % uint64(len(p.backends)))}
	if r.URL.Path == "/telegram/webhook" {
		var u struct {
			UpdateID int `json:"update_id"`
			Message  struct {
				Chat struct {
					ID int64 `json:"id"`
				} `json:"chat"`
			} `json:"message"`
		}
		json.Unmarshal(body, &u)
		h.updateID, h.chatID = u.UpdateID, u.Message.Chat.ID
		p.mu.Lock()
		if b, ok := p.first[u.UpdateID]; ok {
			h.again = true
			if h.backend == b {
				h.backend = (b + 1) % len(p.backends)
			}
		} else {
			p.first[u.UpdateID] = h.backend
		}
		p.mu.Unlock()
	}
	sw := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	p.backends[h.backend].ServeHTTP(sw, r)
	h.status = sw.status
	p.mu.Lock()
	p.hits = append(p.hits, h)
	p.mu.Unlock()
}

func (p *rrProxy) Hits() []proxyHit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hits)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// busiest is the most of ts (in order) within one window [t, t+w), and
// the first of them.
func busiest(ts []time.Time, w time.Duration) (int, time.Time) {
	most, first := 0, 0
	var at time.Time
	for i, t := range ts {
		for !ts[first].Add(w).After(t) {
			first++
		}
		if i-first+1 > most {
			most, at = i-first+1, ts[first]
		}
	}
	return most, at
}

var uaReplica = regexp.MustCompile(`; replica ([^)]*)\)$`)

// Three replicas on one Postgres behind a round-robin proxy: signed Discord
// interactions and Telegram webhook deliveries spread over them are each
// answered once (an update delivered again, to another replica, too); a new
// draw fans out to 1,000 destinations while the leader, the one sender, is
// killed with SIGKILL and a follower restarted: none lost, the only
// duplicates the posts the killed leader had made and not recorded, the
// platforms' limits held in aggregate, one replica polling IRCC at a time,
// and a new leader within 15 s.
func TestFleetEndToEnd(t *testing.T) {
	pgtest.Server(t)
	if testing.Short() {
		t.Skip("runs three bots as processes through a fan-out of 1,000 posts")
	}
	t0 := time.Now()
	f := newFleet(t, 3, true)

	// The database, seeded, with the fan-out's destinations.
	dbURL := storetest.PostgresURL(t, 1)
	var chats []int64
	var channels []string
	{
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range fleetTelegram {
			chats = append(chats, -1_000_000_200_000-int64(i))
			if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(chats[i])}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range fleetDiscord {
			channels = append(channels, fmt.Sprintf("3100000000%08d", i))
			if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: channels[i]}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	f.env = f.environ(dbURL)
	f.env["OUTBOX_CLAIM_LEASE"] = fleetLease.String()
	// The three start at once, as a deployment starts them.
	for _, r := range f.replicas {
		f.start(r)
	}
	first := f.leader("")
	f.poll("the webhook registered", func() bool { info, _ := f.tg.Webhook(); return info.URL == f.env["TELEGRAM_WEBHOOK_URL"] })
	f.poll("every replica ready", func() bool {
		for _, r := range f.replicas {
			if code, _, err := readyz(r.addr); err != nil || code != 200 {
				return false
			}
		}
		return true
	})
	t.Logf("3 replicas ready in %v; %s leads", time.Since(t0).Round(100*time.Millisecond), first)

	// Spread: signed interactions and webhook updates through the proxy.
	const questions = 60
	ctx, cancel := context.WithTimeout(context.Background(), fleetWait)
	defer cancel()
	type answer struct {
		id   string
		a    fakediscord.HTTPAnswer
		err  error
		kind int
	}
	answers := make([]answer, questions)
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	endpoint := f.proxy.srv.URL + "/discord/interactions"
	for i := range questions {
		u := faketelegram.User{ID: int64(5000 + i), FirstName: "U"}
		text := []string{"last cec cutoff", "/about"}[i%2]
		f.tg.PushText(faketelegram.PrivateChat(u), u, text)
		wg.Go(func() {
			in := fakediscord.Interaction{Name: "cutoff", UserID: fmt.Sprintf("6100000000%08d", i),
				Options: []fakediscord.Option{{Name: "category", Value: "cec"}}}
			a, err := f.dc.Interact(ctx, client, endpoint, in)
			var cb struct {
				Type int `json:"type"`
			}
			if err == nil {
				err = a.JSON(&cb)
			}
			answers[i] = answer{id: in.ID, a: a, err: err, kind: cb.Type}
		})
	}
	wg.Wait()
	deferred := 0
	for i, a := range answers {
		switch {
		case a.err != nil || a.a.Status != 200:
			t.Errorf("interaction %d: %v %d %s", i, a.err, a.a.Status, a.a.Body)
		case a.kind == 4:
			if !strings.Contains(string(a.a.Body), "CRS") {
				t.Errorf("interaction %d answered %s", i, a.a.Body)
			}
		case a.kind == 5:
			deferred++
		default:
			t.Errorf("interaction %d: callback type %d", i, a.kind)
		}
	}
	if deferred > 0 { // their answers come as edits of the original response
		if _, err := f.dc.AwaitRequests(ctx, "PATCH", "/api/v9/webhooks/", deferred); err != nil {
			t.Errorf("%d deferred answers, edits: %v", deferred, err)
		}
	}
	private := func(i int) int64 { return int64(5000 + i) }
	if err := f.tg.Wait(ctx, func(v faketelegram.View) bool {
		got := map[int64]bool{}
		for _, c := range v.Calls("sendMessage") {
			got[c.ChatID] = true
		}
		for i := range questions {
			if !got[private(i)] {
				return false
			}
		}
		return true
	}); err != nil {
		t.Fatalf("not every Telegram update answered: %v\n%s", err, f.dump())
	}
	// Three updates delivered again, each to another replica than took it.
	var again []int
	for _, d := range f.tg.Deliveries() {
		if d.Status == 200 && len(again) < 3 && !slices.Contains(again, d.UpdateID) {
			again = append(again, d.UpdateID)
		}
	}
	for _, id := range again {
		if !f.tg.Redeliver(id) {
			t.Fatalf("update %d not delivered yet", id)
		}
	}
	if err := f.tg.Wait(ctx, func(v faketelegram.View) bool {
		n := 0
		for _, d := range v.Deliveries() {
			if d.Status == 200 {
				n++
			}
		}
		return n >= questions+len(again)
	}); err != nil {
		t.Fatalf("redeliveries: %v", err)
	}
	byReplica := map[string]int{}
	for _, c := range f.tg.Calls("sendMessage") {
		if m := regexp.MustCompile(`Answered by replica (r\d)`).FindStringSubmatch(c.Plain); m != nil {
			byReplica[m[1]]++
		}
	}
	spread := [3]int{}
	for _, h := range f.proxy.Hits() {
		spread[h.backend]++
	}
	t.Logf("spread: %d interactions (%d deferred) and %d updates through the proxy, by replica %v; /about answered by %v; %d updates delivered again to another replica",
		questions, deferred, questions, spread, byReplica, len(again))

	// The fan-out: IRCC publishes a draw; the leader is killed mid-way and
	// a follower restarted.
	fetchesBefore := len(f.feed.Fetches())
	f.feed.Set(newDraw(t, "471"))
	fanStart := time.Now()
	isPost := func(c faketelegram.Call) bool {
		return c.ChatID <= -1_000_000_200_000 && strings.Contains(c.Text, "#438")
	}
	if err := f.tg.Wait(ctx, func(v faketelegram.View) bool {
		n := 0
		for _, c := range v.Calls("sendMessage") {
			if isPost(c) {
				n++
			}
		}
		return n >= fleetKillAfter
	}); err != nil {
		t.Fatalf("fan-out: %v\n%s", err, f.dump())
	}
	for _, r := range f.replicas {
		select {
		case <-r.run.done:
			t.Fatalf("%s ended on its own: %s; logs:\n%s", r.id, r.run.exited(), f.dump())
		default:
		}
	}
	old := f.byID(first)
	old.run.signal(t, syscall.SIGKILL)
	killedAt := old.run.stopped
	postsAtKill := 0
	for _, c := range f.tg.Calls("sendMessage") {
		if isPost(c) {
			postsAtKill++
		}
	}
	dcAtKill := f.dc.MessageTotal()
	var restarted *replica
	for _, r := range f.replicas {
		if r != old {
			restarted = r
			break
		}
	}
	restartTook := restarted.run.signal(t, syscall.SIGTERM)
	if restarted.run.exited() != "exit 0" {
		t.Errorf("%s stopped: %s", restarted.id, restarted.run.exited())
	}
	f.start(restarted)
	next := f.leader(old.id)
	newLeader := time.Since(killedAt)
	if newLeader > 15*time.Second {
		t.Errorf("a new leader %v after the kill, want within 15 s", newLeader)
	}

	// Everything arrives.
	wctx, wcancel := context.WithTimeout(context.Background(), fleetWait)
	defer wcancel()
	if err := f.tg.Wait(wctx, func(v faketelegram.View) bool {
		got := map[int64]bool{}
		for _, c := range v.Calls("sendMessage") {
			if isPost(c) {
				got[c.ChatID] = true
			}
		}
		return len(got) == len(chats)
	}); err != nil {
		t.Fatalf("not every Telegram group got the post: %v\n%s", err, f.dump())
	}
	if err := f.dc.AwaitEachChannel(wctx, channels); err != nil {
		t.Fatalf("not every Discord channel got the post: %v\n%s", err, f.dump())
	}
	fanOut := time.Since(fanStart)
	// The outbox records the last posts a few milliseconds after they went.
	f.poll("the outbox all sent", func() bool {
		db, err := store.Open(context.Background(), dbURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		counts, err := db.OutboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for status, n := range counts {
			if status != "sent" && n > 0 {
				return false
			}
		}
		return true
	})
	stopping := time.Now() // the leader's stop hands the lease on: the polls end here
	for _, r := range f.replicas {
		if r == old {
			continue
		}
		r.run.signal(t, syscall.SIGTERM)
		if r.run.exited() != "exit 0" {
			t.Errorf("%s stopped: %s", r.id, r.run.exited())
		}
	}

	// Lost and doubled posts; each extra one is a post the killed leader
	// made before it died and had not recorded.
	var tgPosts []time.Time
	perChat := map[int64][]time.Time{}
	for _, c := range f.tg.Calls("sendMessage") {
		if isPost(c) {
			tgPosts = append(tgPosts, c.At)
			perChat[c.ChatID] = append(perChat[c.ChatID], c.At)
		}
	}
	lost, tgExtra, latePerChat := 0, 0, 0
	var oldest time.Duration
	for _, ch := range chats {
		ats := perChat[ch]
		if len(ats) == 0 {
			lost++
		}
		for _, at := range ats[:max(len(ats)-1, 0)] {
			tgExtra++
			if !at.Before(killedAt) {
				t.Errorf("chat %d: a post at %v, after the kill, sent again", ch, at.Sub(killedAt))
			}
			oldest = max(oldest, killedAt.Sub(at))
		}
		if n, _ := busiest(ats, time.Second); n > 1 {
			latePerChat++
		}
	}
	dcExtra := 0
	var dcPosts []time.Time
	counts := f.dc.MessageCounts()
	for _, ch := range channels {
		dcExtra += max(counts[ch]-1, 0)
		if counts[ch] == 0 {
			lost++
		}
	}
	for _, m := range f.dc.Messages("") {
		if slices.Contains(channels, m.ChannelID) {
			dcPosts = append(dcPosts, m.At)
		}
	}
	tgBusiest, tgBusiestAt := busiest(tgPosts, time.Second)
	dcBusiest, dcBusiestAt := busiest(dcPosts, time.Second)
	var tgAll []time.Time
	for _, c := range f.tg.Calls("sendMessage") {
		tgAll = append(tgAll, c.At)
	}
	tgAllBusiest, _ := busiest(tgAll, time.Second)
	if lost > 0 {
		t.Errorf("%d destinations got no post", lost)
	}
	if tgExtra > unrecordedMax || dcExtra > unrecordedMax {
		t.Errorf("%d Telegram, %d Discord posts sent twice; one kill leaves at most %d unrecorded", tgExtra, dcExtra, unrecordedMax)
	}
	// 429s by phase: the answers, which each replica paces on its own,
	// and the fan-out, which only the leader sends.
	var flood [2]int
	for _, c := range f.tg.Rejected("sendMessage") {
		if c.At.Before(fanStart) {
			flood[0]++
		} else {
			flood[1]++
		}
	}
	dcChannel, dcGlobal := f.dc.Limited()
	if float64(tgBusiest) > 30*overLimit || latePerChat > 0 {
		t.Errorf("Telegram: %d posts in one second from %v after the kill (30 allowed), %d chats with 2 in one second", tgBusiest, tgBusiestAt.Sub(killedAt), latePerChat)
	}
	if float64(dcBusiest) > 50*overLimit {
		t.Errorf("Discord: %d posts in one second from %v after the kill (50 allowed)", dcBusiest, dcBusiestAt.Sub(killedAt))
	}

	// One replica polls IRCC at a time: the fetches, in order, come from
	// the first leader and then from the next, after the kill.
	fetches := f.feed.Fetches()
	byFetcher := map[string]int{}
	var terms []string
	var switched time.Time
	for _, ft := range fetches {
		if !ft.At.Before(stopping) {
			break
		}
		m := uaReplica.FindStringSubmatch(ft.UserAgent)
		if m == nil {
			t.Errorf("a fetch with User-Agent %q", ft.UserAgent)
			continue
		}
		byFetcher[m[1]]++
		if len(terms) == 0 || terms[len(terms)-1] != m[1] {
			terms = append(terms, m[1])
			switched = ft.At
		}
	}
	if !slices.Equal(terms, []string{first, next}) || !switched.After(killedAt) {
		t.Errorf("fetches by %v (the last change %v after the kill), want %s then %s after the kill", terms, switched.Sub(killedAt), first, next)
	}

	// Each question answered once, also the updates delivered again.
	perUser := map[int64]int{}
	for _, c := range f.tg.Calls("sendMessage") {
		perUser[c.ChatID]++
	}
	for i := range questions {
		if n := perUser[private(i)]; n != 1 {
			t.Errorf("user %d got %d answers", private(i), n)
		}
	}
	edits := map[string]int{}
	for _, r := range f.dc.Requests("PATCH", "/api/v9/webhooks/") {
		edits[strings.Split(r.Path, "/")[5]]++
	}
	for i, a := range answers {
		want := 0
		if a.kind == 5 {
			want = 1
		}
		if n := edits["itok-"+a.id]; n != want {
			t.Errorf("interaction %d (type %d): %d edits, want %d", i, a.kind, n, want)
		}
	}
	if n := len(f.dc.Requests("POST", "/api/v9/interactions/")); n != 0 {
		t.Errorf("%d REST callbacks: answers go in the HTTP body", n)
	}

	t.Logf("fan-out of a new draw to %d destinations (%d Telegram, %d Discord) in %v: %s killed (SIGKILL) after %d Telegram and %d Discord posts, %s restarted (its stop took %v); "+
		"a new leader (%s) %v after the kill; %d lost; sent twice: %d Telegram (made at most %v before the kill; bound %d), %d Discord; "+
		"busiest second (at the fakes): %d Telegram posts (%d with the answers), %d Discord posts; chats with 2 posts in a second: %d; "+
		"429s by the fakes' models of the limits: Telegram %d to the answers, %d to the fan-out, Discord %d",
		len(chats)+len(channels), len(chats), len(channels), fanOut.Round(100*time.Millisecond), first, postsAtKill, dcAtKill, restarted.id, restartTook.Round(time.Millisecond),
		next, newLeader.Round(10*time.Millisecond), lost, tgExtra, oldest.Round(time.Millisecond), unrecordedMax, dcExtra,
		tgBusiest, tgAllBusiest, dcBusiest, latePerChat, flood[0], flood[1], dcChannel+dcGlobal)
	t.Logf("IRCC fetches: %d in all (%d during the fan-out), by replica %v, in terms %v; %v in all",
		len(fetches), len(fetches)-fetchesBefore, byFetcher, terms, time.Since(t0).Round(100*time.Millisecond))
}
