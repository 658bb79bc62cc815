package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/internal/domain"
)

// A moderator's Post is sent at most once per preview: pressed again,
// replayed, or pressed after Cancel, it queues nothing more and says what
// became of the preview; each press leaves the buttons disabled.
func TestAnnounceOncePerPreview(t *testing.T) {
	t.Parallel()
	h := newHarness(t, moderators)
	h.start()
	ctx := t.Context()
	subs := []string{"300000000000000041", "300000000000000042"}
	for _, ch := range subs {
		if _, _, err := h.store.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: ch}); err != nil {
			t.Fatal(err)
		}
	}
	pending := func() int {
		n, err := h.store.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n["pending"]
	}
	preview := h.call(as(slash("announce"), modID, 0))
	if len(preview.Data.Components) != 1 || len(preview.Data.Components[0].Components) != 2 {
		t.Fatalf("preview: %s", preview.Raw)
	}
	post, cancel := preview.Data.Components[0].Components[0].CustomID, preview.Data.Components[0].Components[1].CustomID
	shown, _ := json.Marshal(preview.Data.Components)
	press := func(id, customID string) fakediscord.Interaction {
		return fakediscord.Interaction{ID: id, Type: fakediscord.TypeComponent, CustomID: customID, UserID: modID,
			MessageComponents: json.RawMessage(shown)}
	}
	disabled := func(c callback) bool {
		n := 0
		for _, row := range c.Data.Components {
			for _, b := range row.Components {
				if !b.Disabled {
					return false
				}
				n++
			}
		}
		return n == 2
	}

	first := press(fakediscord.NextID(), post)
	c := h.call(first)
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(c.text(t), "queued to 2 destinations") || !disabled(c) {
		t.Errorf("first press: %s", c.Raw)
	}
	// Pressed twice more (a double click, a second client).
	for range 2 {
		c = h.call(press("", post))
		if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !disabled(c) ||
			!strings.Contains(c.text(t), "Already posted") || !strings.Contains(c.text(t), "2 destinations") || !strings.Contains(c.text(t), "Aug 20, 2026 12:00:00 UTC") {
			t.Errorf("press again: %s", c.Raw)
		}
	}
	// The first press replayed: the same interaction delivered again.
	if _, err := h.fake.Push(first); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if _, err := h.fake.AwaitRequests(wctx, "POST", "/api/v9/interactions/"+first.ID+"/", 2); err != nil {
		t.Fatal(err)
	}
	// Cancel after Post withdraws nothing and says so.
	c = h.call(press("", cancel))
	if !strings.Contains(c.text(t), "Already posted") || strings.Contains(c.text(t), "Nothing was posted") {
		t.Errorf("cancel after post: %s", c.Raw)
	}
	if n := pending(); n != len(subs) {
		t.Fatalf("%d posts queued by 4 presses and a replay of Post, want %d (one per subscription)", n, len(subs))
	}

	// A second preview, cancelled, then its Post pressed: nothing is sent.
	preview = h.call(as(slash("announce"), modID, 0))
	post, cancel = preview.Data.Components[0].Components[0].CustomID, preview.Data.Components[0].Components[1].CustomID
	shown, _ = json.Marshal(preview.Data.Components)
	if c = h.call(press("", cancel)); !strings.Contains(c.text(t), "Nothing was posted") || !disabled(c) {
		t.Errorf("cancel: %s", c.Raw)
	}
	if c = h.call(press("", post)); !strings.Contains(c.text(t), "cancelled") || !disabled(c) {
		t.Errorf("post after cancel: %s", c.Raw)
	}
	// A Post button without a preview (from before this rule) does nothing.
	if c = h.call(press("", "act|announce|post 437")); !c.ephemeral() || c.Type != int(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Errorf("old button: %s", c.Raw)
	}
	if n := pending(); n != len(subs) {
		t.Errorf("%d posts queued, want %d", n, len(subs))
	}
}
