package poll_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/poll"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

var now = time.Date(2026, 8, 26, 15, 0, 0, 0, time.UTC)

func snapshot(t testing.TB) []byte {
	b, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withDraw438 is the snapshot plus a new healthcare draw.
func withDraw438(t testing.TB, set ircctest.Round) []byte {
	feed := snapshot(t)
	row := ircctest.Round{"drawName": "Healthcare and Social Services Occupations, 2026-Version 3", "drawDate": "2026-08-25",
		"drawDateFull": "August 25, 2026", "drawDateTime": "August 25, 2026 at 14:02:11 UTC", "drawCRS": "471", "drawSize": "3,500",
		"drawCutOff": "June 2, 2026 at 09:15:00 UTC"}
	for k, v := range set {
		row[k] = v
	}
	r, err := ircctest.NewDraw(feed, "438", row)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ircctest.Prepend(feed, r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newPoller(t testing.TB, db *store.DB, url string) *poll.Poller {
	return &poll.Poller{URL: url, Client: &http.Client{Timeout: 5 * time.Second}, Store: db,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now },
		Business: 5 * time.Minute, OffHours: 30 * time.Minute}
}

func subscribe(t testing.TB, db *store.DB, dest string, max int, cats ...domain.Key) domain.Subscription {
	s, _, err := db.Subscribe(context.Background(), domain.Subscription{Platform: domain.Discord, Destination: dest, Categories: cats, MaxCRS: max})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPollSnapshotThenNotModified(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	srv := ircctest.New(snapshot(t))
	defer srv.Close()
	p := newPoller(t, db, srv.URL)
	res, err := p.Once(ctx)
	if err != nil || len(res.Saved.Added)+len(res.Saved.Updated) != 0 {
		t.Fatalf("first poll: %+v, %v", res, err)
	}
	res, err = p.Once(ctx)
	if err != nil || !res.NotModified || srv.NotMod.Load() != 1 {
		t.Fatalf("second poll: %+v, %v (304s: %d)", res, err, srv.NotMod.Load())
	}
	m, _ := db.Meta(ctx)
	if m.LastChecked != "2026-08-26T15:00:00Z" || m.LastChanged != "" {
		t.Errorf("meta = %+v", m)
	}
}

func TestPollNewDrawQueuesMatchingPosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	health := subscribe(t, db, "c-health", 0, domain.Healthcare)
	every := subscribe(t, db, "c-all", 0)
	stem := subscribe(t, db, "c-stem", 0, domain.STEM)
	low := subscribe(t, db, "c-health-low", 450, domain.Healthcare)
	srv := ircctest.New(withDraw438(t, nil))
	defer srv.Close()
	changed := 0
	p := newPoller(t, db, srv.URL)
	p.OnChange = func(domain.SaveResult) { changed++ }
	res, err := p.Once(ctx)
	if err != nil || len(res.Saved.Added) != 1 || changed != 1 {
		t.Fatalf("poll: %+v, %v, changed %d", res, err, changed)
	}
	d, err := db.Draw(ctx, "438")
	if err != nil || d.Category != domain.Healthcare || d.Version != 3 || d.CRS != 471 || d.Size != 3500 || d.Origin != domain.OriginFeed {
		t.Fatalf("438 = %+v, %v", d, err)
	}
	got := map[string]int{}
	claimed, err := db.ClaimDeliveries(ctx, domain.Discord, 100, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range claimed {
		got[c.Sub.Destination]++
		if c.Number != "438" || c.Kind != domain.PostNew || c.Nonce == "" {
			t.Errorf("delivery = %+v", c)
		}
	}
	want := map[string]int{health.Destination: 1, every.Destination: 1}
	if len(got) != 2 || got[health.Destination] != 1 || got[every.Destination] != 1 || got[stem.Destination] != 0 || got[low.Destination] != 0 {
		t.Errorf("deliveries = %v, want %v", got, want)
	}
	m, _ := db.Meta(ctx)
	if m.LastChanged != "2026-08-26T15:00:00Z" || m.LatestDraw != "2026-08-25" {
		t.Errorf("meta = %+v", m)
	}
}

func TestPollRejectsBadFeeds(t *testing.T) {
	t.Parallel()
	snap := snapshot(t)
	rounds, err := ircctest.Rounds(snap)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"not JSON", []byte("<html>maintenance</html>"), "feed rejected"},
		{"truncated", snap[:len(snap)/2], "feed rejected"},
		{"empty rounds", []byte(`{"rounds": []}`), "feed rejected"},
		{"shrunken", ircctest.Encode(rounds[1:]), "known draw #437 is missing"},
		{"future draw", withDraw438(t, ircctest.Round{"drawDate": "2026-09-30", "drawDateFull": "September 30, 2026"}), "in the future"},
		{"bad number", withDraw438(t, ircctest.Round{"drawCRS": "4x1"}), "feed rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Store(t)
			subscribe(t, db, "c-all", 0)
			srv := ircctest.New(tc.body)
			defer srv.Close()
			_, err := newPoller(t, db, srv.URL).Once(ctx)
			var rej *poll.Rejected
			if !errors.As(err, &rej) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a rejection mentioning %q", err, tc.want)
			}
			if n, _ := db.CountDraws(ctx, ""); n != 438 {
				t.Errorf("draws = %d after a rejected feed", n)
			}
			if c, _ := db.OutboxCounts(ctx); len(c) != 0 {
				t.Errorf("outbox = %v after a rejected feed", c)
			}
			if m, _ := db.Meta(ctx); m.LastChecked != "" {
				t.Errorf("a rejected feed counted as checked: %+v", m)
			}
		})
	}
}

func TestPollNetworkFailureKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	srv := ircctest.New(nil)
	srv.Fail(http.StatusServiceUnavailable)
	defer srv.Close()
	if _, err := newPoller(t, db, srv.URL).Once(ctx); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("err = %v", err)
	}
	srv.Close()
	if _, err := newPoller(t, db, srv.URL).Once(ctx); err == nil {
		t.Fatal("no error from a closed server")
	}
	if n, _ := db.CountDraws(ctx, ""); n != 438 {
		t.Errorf("draws = %d", n)
	}
}

// IRCC corrects a posted draw: the change is stored and a correction is
// queued where the draw was posted; an unposted destination gets none.
func TestPollCorrection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	subscribe(t, db, "c-all", 0)
	srv := ircctest.New(withDraw438(t, nil))
	defer srv.Close()
	p := newPoller(t, db, srv.URL)
	if _, err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 1 {
		t.Fatalf("deliveries = %+v", ds)
	}
	if err := db.MarkSent(ctx, domain.Sent{Delivery: ds[0], MessageID: "m1"}); err != nil {
		t.Fatal(err)
	}
	subscribe(t, db, "c-late", 0) // subscribed after the post: no correction for it
	srv.Set(withDraw438(t, ircctest.Round{"drawCRS": "469"}))
	res, err := p.Once(ctx)
	if err != nil || len(res.Saved.Updated) != 1 || res.Saved.Updated[0].Old.CRS != 471 || res.Saved.Updated[0].New.CRS != 469 {
		t.Fatalf("correction poll: %+v, %v", res, err)
	}
	ds, _ = db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 1 || ds[0].Kind != domain.PostCorrection || ds[0].Sub.Destination != "c-all" {
		t.Fatalf("correction deliveries = %+v", ds)
	}
}

func TestPollOldDrawsStoredQuietly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	subscribe(t, db, "c-all", 0)
	srv := ircctest.New(withDraw438(t, nil))
	defer srv.Close()
	p := newPoller(t, db, srv.URL)
	p.Now = func() time.Time { return now.Add(30 * 24 * time.Hour) } // a month-long outage
	res, err := p.Once(ctx)
	if err != nil || len(res.Saved.Added) != 1 {
		t.Fatal(res, err)
	}
	if c, _ := db.OutboxCounts(ctx); len(c) != 0 {
		t.Errorf("a month-old draw was queued: %v", c)
	}
}

// A new row whose drawDate is not a date (9999-99-99) is stored with the
// date drawDateFull gives, and flagged in the log, as other odd rows are;
// the snapshot's long-known oddities are not repeated at warning level.
func TestPollFlagsOddNewRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	srv := ircctest.New(withDraw438(t, ircctest.Round{"drawDate": "9999-99-99", "drawDateFull": "August 25, 2026"}))
	defer srv.Close()
	var logs testlog.Buffer
	p := newPoller(t, db, srv.URL)
	p.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	res, err := p.Once(ctx)
	if err != nil || len(res.Saved.Added) != 1 || res.Saved.Added[0].Date != "2026-08-25" {
		t.Fatalf("poll: %+v, %v", res, err)
	}
	var flagged, old bool
	for _, line := range strings.Split(logs.String(), "\n") {
		flagged = flagged || strings.Contains(line, "level=WARN") && strings.Contains(line, "draw=438") && strings.Contains(line, "field=drawDate") && strings.Contains(line, "9999-99-99")
		old = old || strings.Contains(line, "level=WARN") && strings.Contains(line, "draw=247")
	}
	if !flagged || old {
		t.Errorf("want draw 438's drawDate flagged, and draw 247's old oddities not at warning level:\n%s", logs.String())
	}
}

// The poller names itself in the User-Agent it is given, or in the
// default one: the fake records it with each request.
func TestUserAgent(t *testing.T) {
	t.Parallel()
	srv := ircctest.New(snapshot(t))
	defer srv.Close()
	db := storetest.Store(t)
	p := newPoller(t, db, srv.URL)
	if _, err := p.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.UserAgent = "eebot (test; replica r7)"
	if _, err := p.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := srv.Fetches()
	if len(f) != 2 || f[0].UserAgent != poll.DefaultUserAgent || f[1].UserAgent != "eebot (test; replica r7)" ||
		f[0].Status != http.StatusOK || f[1].Status != http.StatusNotModified {
		t.Errorf("fetches: %+v", f)
	}
}
