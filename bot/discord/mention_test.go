package discord

import (
	"slices"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
)

// The bot never pings @everyone or @here. At subscribe time a mention comes
// only from the typed role option, and the guild's own ID (the @everyone
// role) is refused, however it is typed.
func TestSubscribeRefusesEveryone(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	const manage = fakediscord.PermManageChannels
	everyone := "<@&" + fakediscord.GuildID + ">"
	for _, in := range []fakediscord.Interaction{
		slash("subscribe", role("role", fakediscord.GuildID)),
		slash("subscribe", role("role", everyone)),
		slash("subscribe", role("role", "@everyone")),
		slash("subscribe", role("role", "@here")),
		// A role option sent as text (a forged or replayed interaction).
		slash("subscribe", str("role", fakediscord.GuildID)),
		slash("subscribe", str("role", everyone)),
		// Mentions typed into text options.
		slash("subscribe", str("categories", everyone)),
		slash("subscribe", str("categories", "healthcare "+everyone)),
		slash("subscribe", str("categories", "@everyone")),
		slash("subscribe", str("categories", "@here")),
	} {
		c := h.call(as(in, fakediscord.UserID, manage))
		if !c.ephemeral() || strings.Contains(c.text(t), "will get a post") {
			t.Errorf("%v accepted: %s", in.Options, c.Raw)
		}
	}
	if subs := h.subs(fakediscord.ChannelID); len(subs) != 0 {
		t.Fatalf("stored %+v", subs)
	}
	// The typed role option with a real role works.
	if c := h.call(as(slash("subscribe", role("role", roleID1)), fakediscord.UserID, manage)); !strings.Contains(c.text(t), "pinging the chosen role") {
		t.Errorf("real role: %s", c.Raw)
	}
	if subs := h.subs(fakediscord.ChannelID); len(subs) != 1 || subs[0].Mention != roleID1 {
		t.Fatalf("stored %+v", subs)
	}
}

// At send time a stored mention is checked again: one that would ping
// everyone (the guild's ID, in any form), or is not a role ID, or is for a
// channel outside any guild, goes out as a post without a mention, and is
// logged. A real role is pinged, and allowed_mentions names it alone.
func TestPostMentionSafety(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ctx := t.Context()
	rep := h.bot.eng.Command(ctx, "cutoff", "healthcare", 0, commands.Caller{})
	const dm = "310000000000000009"
	h.fake.SetChannelGuild(dm, "")
	tests := []struct {
		channel, mention string
		ping             bool
	}{
		{"300000000000000031", fakediscord.GuildID, false},
		{"300000000000000032", "<@&" + fakediscord.GuildID + ">", false},
		{"300000000000000033", "@everyone", false},
		{"300000000000000034", "@here", false},
		{"300000000000000035", "everyone", false},
		{"300000000000000036", "<@123>", false},
		{dm, roleID1, false},
		{"300000000000000037", roleID1, true},
		{"300000000000000038", "<@&" + roleID1 + ">", true},
	}
	for _, tc := range tests {
		// As the sender does: the subscription's stored mention, as stored.
		sub, _, err := h.store.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: tc.channel, Mention: tc.mention})
		if err != nil {
			t.Fatal(err)
		}
		if o := h.bot.Post(ctx, sub.Destination, rep, sub.Mention, ""); o.Kind != broadcast.Delivered {
			t.Errorf("mention %q: Post = %+v", tc.mention, o)
			continue
		}
		msgs := h.fake.Messages(tc.channel)
		if len(msgs) != 1 {
			t.Fatalf("mention %q: %d messages", tc.mention, len(msgs))
		}
		var m sentMessage
		if err := msgs[0].JSON(&m); err != nil {
			t.Fatal(err)
		}
		body := string(msgs[0].Body)
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 || len(m.AllowedMentions.Users) != 0 ||
			strings.Contains(body, "everyone") || strings.Contains(body, "@here") || strings.Contains(body, fakediscord.GuildID) {
			t.Errorf("mention %q: %s", tc.mention, body)
		}
		switch {
		case tc.ping && (m.Content != "<@&"+roleID1+">" || !slices.Equal(m.AllowedMentions.Roles, []string{roleID1})):
			t.Errorf("mention %q: want a ping of %s alone: %s", tc.mention, roleID1, body)
		case !tc.ping && (m.Content != "" || len(m.AllowedMentions.Roles) != 0):
			t.Errorf("mention %q: want no ping: %s", tc.mention, body)
		case !tc.ping && !strings.Contains(h.logs.String(), tc.channel):
			t.Errorf("mention %q: dropping it was not logged:\n%s", tc.mention, h.logs)
		}
	}
}
