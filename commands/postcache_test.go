package commands_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// drawCounter counts the draws RenderPost reads.
type drawCounter struct {
	*store.DB
	reads atomic.Int64
}

func (c *drawCounter) Draw(ctx context.Context, number string) (domain.Draw, error) {
	c.reads.Add(1)
	return c.DB.Draw(ctx, number)
}

// A post is made once for all its deliveries, per language and revision,
// and made again from the store once the draws change: a correction is
// never served the wording from before it.
func TestRenderPostOncePerPost(t *testing.T) {
	ctx := context.Background()
	db := &drawCounter{DB: storetest.Store(t)}
	e := commands.New(db)
	post := domain.Delivery{Number: "422", Kind: domain.PostNew}
	render := func(d domain.Delivery) string {
		t.Helper()
		r, err := e.RenderPost(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return r.Title + "\n" + r.Summary
	}
	first := render(post)
	for range 5 {
		if got := render(post); got != first {
			t.Fatalf("the same post changed: %q, then %q", first, got)
		}
	}
	if n := db.reads.Load(); n != 1 {
		t.Errorf("6 renders of one post read the draw %d times", n)
	}
	fr := post
	fr.Lang = "fr"
	if render(fr) == first {
		t.Error("the French post is the English one")
	}
	announce := post
	announce.Kind, announce.Revision = domain.PostAnnounce, "0123456789abcdef"
	render(announce)
	if n := db.reads.Load(); n != 3 {
		t.Errorf("3 posts read the draw %d times", n)
	}

	// A correction: the next render reads the store again.
	d, err := db.DB.Draw(ctx, "422")
	if err != nil {
		t.Fatal(err)
	}
	d.CRS = 481
	if _, err := db.SaveDraws(ctx, []domain.Draw{d}, domain.OriginFeed); err != nil {
		t.Fatal(err)
	}
	if got := render(post); !strings.Contains(got, "481") || got == first {
		t.Errorf("after a correction to CRS 481: %q", got)
	}

	// A caller changing the reply it got changes nothing for the next.
	r, _ := e.RenderPost(ctx, post)
	r.Links[0].URL, r.Choices[0] = "https://evil.example", "nope"
	if r2, _ := e.RenderPost(ctx, post); r2.Links[0].URL == "https://evil.example" || r2.Choices[0] == "nope" {
		t.Error("a caller's change reached the kept post")
	}
}
