package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

var (
	admin    = commands.Caller{Platform: domain.Telegram, UserID: "1", Destination: "-100", CanManage: true}
	member   = commands.Caller{Platform: domain.Telegram, UserID: "2", Destination: "-100"}
	mod      = commands.Caller{Platform: domain.Discord, UserID: "9", Destination: "dm", Private: true, Moderator: true}
	consoleU = commands.Caller{}
)

func TestSubscriptionCommands(t *testing.T) {
	db := storetest.Store(t)
	e := commands.New(db)
	ctx := context.Background()
	steps := []struct {
		caller commands.Caller
		cmd    string
		args   string
		status reply.Status
		want   string
	}{
		{member, "subscribe", "healthcare", reply.StatusInvalid, "Only people who can manage this channel or group"},
		{consoleU, "subscribe", "", reply.StatusInvalid, "Draw alerts are set up in a channel or group"},
		{admin, "subscriptions", "", reply.StatusNotFound, "gets no draw posts"},
		{admin, "subscribe", "healthcare stem 480", reply.StatusOK, "🔔 This chat will get a post for healthcare and STEM draws with a cutoff of 480 or less"},
		{admin, "subscribe", "healthcare, stem max 480", reply.StatusOK, "Already subscribed"},
		{admin, "subscribe", "", reply.StatusOK, "every draw"},
		{admin, "subscribe", "senior managers", reply.StatusOK, "senior managers draws"},
		{admin, "subscribe", "astrology", reply.StatusInvalid, "“astrology” isn't a category I know"},
		{admin, "subscribe", "cec 2000", reply.StatusInvalid, "isn't a CRS threshold"},
		{member, "subscriptions", "", reply.StatusOK, "This chat has 3 draw alerts"},
		{member, "unsubscribe", "all", reply.StatusInvalid, "Nothing was changed"},
		{admin, "unsubscribe", "", reply.StatusHelp, "several draw alerts"},
		{admin, "unsubscribe", "999", reply.StatusNotFound, "no subscription #999"},
		{admin, "unsubscribe", "x", reply.StatusInvalid, "isn't a subscription number"},
		{admin, "unsubscribe", "all", reply.StatusOK, "Removed 3 draw alerts"},
		{admin, "unsubscribe", "", reply.StatusNotFound, "nothing to remove"},
	}
	for i, s := range steps {
		r := handle(e, ctx, call{Command: s.cmd, Args: s.args, Caller: s.caller})
		if r.Status != s.status || !strings.Contains(text(r), s.want) {
			t.Errorf("step %d %s %q: %v\n%s", i, s.cmd, s.args, r.Status, text(r))
		}
		if !r.Private {
			t.Errorf("step %d: subscription replies should be private", i)
		}
	}
	// Refusals changed nothing: only the admin's subscriptions were ever stored.
	if subs, _ := db.Subscriptions(ctx, "", ""); len(subs) != 0 {
		t.Errorf("left: %+v", subs)
	}
}

// A role to ping comes only from a Discord server's role option, and is
// never the server's own ID (its @everyone role): the engine checks again
// what the adapter checked.
func TestSubscribeRole(t *testing.T) {
	db := storetest.Store(t)
	e := commands.New(db)
	ctx := context.Background()
	discord := commands.Caller{Platform: domain.Discord, UserID: "1", Destination: "300", Guild: "400", CanManage: true}
	dm := commands.Caller{Platform: domain.Discord, UserID: "1", Destination: "310", Private: true, Moderator: true}
	tests := []struct {
		role   string
		caller commands.Caller
		want   string
	}{
		{"400", discord, "never pings @everyone"},
		{"777", admin, "isn't a role of this server"},
		{"777", dm, "isn't a role of this server"},
		{"777", discord, "pinging the chosen role"},
	}
	for _, tc := range tests {
		req := commands.Request{Command: "subscribe", Caller: tc.caller}
		req.Options.Set("role", commands.TextValue(tc.role))
		if r := e.Handle(ctx, req); !strings.Contains(text(r), tc.want) {
			t.Errorf("role %s from %+v: %s", tc.role, tc.caller, text(r))
		}
	}
	subs, _ := db.Subscriptions(ctx, "", "")
	if len(subs) != 1 || subs[0].Mention != "777" || subs[0].Destination != "300" {
		t.Errorf("stored %+v", subs)
	}
}

func TestAnnounce(t *testing.T) {
	db := storetest.Store(t)
	e := commands.New(db)
	ctx := context.Background()
	// The store signals the sender when a commit queued posts.
	queued := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	signal := db.Queued()
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c1", Categories: []domain.Key{domain.French}})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-5"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-6", Categories: []domain.Key{domain.CEC}})

	if r := handle(e, ctx, call{Command: "announce", Caller: admin}); r.Status != reply.StatusInvalid || !strings.Contains(text(r), "Only the bot's moderators") {
		t.Fatalf("non-moderator announce: %v %s", r.Status, text(r))
	}
	r := handle(e, ctx, call{Command: "announce", Caller: mod})
	if r.Status != reply.StatusOK || !r.Private || r.Title != "📣 French-language draw: CRS 382 · 5,000 invitations" || !strings.HasPrefix(r.Summary, "#437 · Aug 19, 2026 · ▼9 vs the previous French-language draw (391, Aug 6, 2026)") {
		t.Fatalf("preview: %v\n%s", r.Status, text(r))
	}
	// The buttons carry the preview's ID.
	id := strings.TrimPrefix(r.Actions[0].Args, "post 437 ")
	if len(r.Actions) != 2 || r.Actions[0].Label != "Post to 2 destinations" || len(id) != 16 || r.Actions[1].Args != "cancel 437 "+id {
		t.Fatalf("actions = %+v", r.Actions)
	}
	if c, _ := db.OutboxCounts(ctx); len(c) != 0 || queued(signal) {
		t.Fatal("a preview queued posts")
	}
	r = handle(e, ctx, call{Command: r.Actions[1].Command, Args: r.Actions[1].Args, Caller: mod})
	if !strings.Contains(r.Title, "Nothing was posted") {
		t.Errorf("cancel: %s", text(r))
	}
	r = handle(e, ctx, call{Command: "announce", Args: "post 437 " + id, Caller: mod})
	if r.Status != reply.StatusOK || !strings.Contains(r.Title, "This preview was cancelled") || queued(signal) {
		t.Errorf("post after cancel: %s", text(r))
	}
	// A new preview; its Post queues the posts once.
	r = handle(e, ctx, call{Command: "announce", Caller: mod})
	post := r.Actions[0].Args
	r = handle(e, ctx, call{Command: "announce", Args: post, Caller: mod})
	if !strings.Contains(r.Title, "queued to 2 destinations") || !queued(signal) {
		t.Errorf("post: %s (sender signalled: %v)", text(r), queued(signal))
	}
	signal = db.Queued()
	r = handle(e, ctx, call{Command: "announce", Args: post, Caller: mod})
	if r.Status != reply.StatusOK || !strings.Contains(r.Title, "📣 Already posted: draw #437 went to 2 destinations on") || queued(signal) {
		t.Errorf("post again: %s", text(r))
	}
	if c, _ := db.OutboxCounts(ctx); c["pending"] != 2 {
		t.Errorf("outbox = %v", c)
	}
	// The next preview of the draw says it was announced; a Post without a
	// preview (an old button, or typed) is refused.
	if r = handle(e, ctx, call{Command: "announce", Caller: mod}); !strings.Contains(r.Note, "Draw #437 was already announced on") {
		t.Errorf("preview after an announcement: %s", r.Note)
	}
	if r = handle(e, ctx, call{Command: "announce", Args: "post 437", Caller: mod}); r.Status != reply.StatusInvalid || !strings.Contains(text(r), "older preview") {
		t.Errorf("post without a preview: %s", text(r))
	}
	if r := handle(e, ctx, call{Command: "announce", Args: "9999", Caller: mod}); r.Status != reply.StatusInvalid {
		t.Errorf("unknown draw: %s", text(r))
	}
}

func TestDrawAdd(t *testing.T) {
	db := storetest.Store(t)
	e := commands.New(db, commands.WithClock(storetest.Now))
	ctx := context.Background()
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-5", Categories: []domain.Key{domain.Healthcare}})
	tests := []struct {
		caller commands.Caller
		args   string
		status reply.Status
		want   string
	}{
		{admin, "add 438 2026-08-20 healthcare 3000 470", reply.StatusInvalid, "Only the bot's moderators"},
		{mod, "add", reply.StatusInvalid, "Usage: draw add"},
		{mod, "add 437 2026-08-20 healthcare 3000 470", reply.StatusInvalid, "already stored"},
		{mod, "add 4x8 2026-08-20 healthcare 3000 470", reply.StatusInvalid, "isn't a draw number"},
		{mod, "add 438 2027-01-01 healthcare 3000 470", reply.StatusInvalid, "isn't a draw date"},
		{mod, "add 438 2026-08-20 astrology 3000 470", reply.StatusInvalid, "isn't a category or program"},
		{mod, "add 438 2026-08-20 healthcare 0 470", reply.StatusInvalid, "Invitations must be"},
		{mod, "add 438 2026-08-20 healthcare 3,000 1500", reply.StatusInvalid, "Invitations must be"},
		{mod, "add 438 2026-08-20 healthcare 3000 470 soon", reply.StatusInvalid, "isn't a tie-break time"},
		{mod, "add 438 2026-08-20 healthcare 3,000 470 2026-06-01 10:00:00 UTC", reply.StatusOK, "Healthcare draw #438 on Aug 20, 2026: CRS 470, 3,000 invitations, entered by a moderator"},
		{mod, "add 439 2026-08-20 senior managers 200 400", reply.StatusOK, "draw #439"},
	}
	for _, tc := range tests {
		r := handle(e, ctx, call{Command: "draw", Args: tc.args, Caller: tc.caller})
		if r.Status != tc.status || !strings.Contains(text(r), tc.want) {
			t.Errorf("draw %s: %v\n%s", tc.args, r.Status, text(r))
		}
	}
	d, err := db.Draw(ctx, "438")
	if err != nil || d.Origin != domain.OriginModerator || d.Version != 3 || d.Name != "Healthcare and Social Services Occupations, 2026-Version 3" || d.TieBreak.IsZero() {
		t.Errorf("438 = %+v %v", d, err)
	}
	if c, _ := db.OutboxCounts(ctx); c["pending"] != 1 {
		t.Errorf("outbox = %v, want the one healthcare post", c)
	}
	r := handle(e, ctx, call{Command: "cutoff", Args: "healthcare"})
	if r.Title != "Healthcare: CRS 470 · 3,000 invitations · Aug 20, 2026" || !strings.Contains(r.Summary, "#438 · ▼5 vs the previous healthcare draw (475, Jun 25, 2026)") || !strings.Contains(text(r), "Entered by a moderator") {
		t.Errorf("cutoff after draw add: %s", text(r))
	}
}

// An operator's template file changes the wording without a rebuild; a
// broken one is refused at start.
func TestPostTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "post.tmpl")
	os.WriteFile(good, []byte("{{.Label}} #{{.Number}}: {{.CRS}}\n{{.Invitations}} ITAs{{if eq .Lang \"fr\"}} (fr){{end}}"), 0o644)
	tmpl, err := commands.LoadPostTemplate(good)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Store(t)
	e := commands.New(db, commands.WithPostTemplate(tmpl))
	r, err := e.RenderPost(context.Background(), domain.Delivery{Number: "422", Kind: domain.PostNew})
	if err != nil || r.Title != "Healthcare #422: 475" || r.Summary != "4,000 ITAs" || r.URL == "" {
		t.Errorf("post = %q / %q, %v", r.Title, r.Summary, err)
	}
	r, err = e.RenderPost(context.Background(), domain.Delivery{Number: "422", Kind: domain.PostNew, Lang: "fr"})
	if err != nil || r.Title != "Santé #422: 475" || r.Summary != "4\u00a0000 ITAs (fr)" {
		t.Errorf("French post = %q / %q, %v", r.Title, r.Summary, err)
	}
	for _, body := range []string{`{{.Nope}}`, `{{if}}`} {
		bad := filepath.Join(dir, "bad.tmpl")
		os.WriteFile(bad, []byte(body), 0o644)
		if _, err := commands.LoadPostTemplate(bad); err == nil {
			t.Errorf("template %q accepted", body)
		}
	}
}
