package discord

import (
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/discord/fakediscord"
)

// TestAlert: /alert in a DM sets up the person's alert on the bot's DM
// channel with them (opened with UserChannelCreate), in their language;
// when Discord will not open one, the person is told and nothing is
// stored; in a server the answer points to DMs and to /subscribe.
func TestAlert(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	const person = "600000000000000042"

	in := slash("alert", str("categories", "healthcare"), integer("max_crs", 470))
	in.DM, in.UserID, in.ChannelID, in.Locale = true, person, "330000000000000077", "fr"
	c := h.call(in)
	if got := c.text(t); !strings.Contains(got, "Je vous écrirai ici pour les tirages santé dont le seuil est de 470 ou moins") || !strings.Contains(got, "/alert off") {
		t.Errorf("DM alert: %s", got)
	}
	mine, err := h.store.Alerts(t.Context(), "discord", person)
	if err != nil || len(mine) != 1 || mine[0].Destination != fakediscord.DMChannel(person) || mine[0].Lang != "fr" || mine[0].MaxCRS != 470 {
		t.Fatalf("alerts = %+v, %v; want one on %s, in French", mine, err, fakediscord.DMChannel(person))
	}

	// /alerts lists it; /alert off removes it.
	list := slash("alerts")
	list.DM, list.UserID = true, person
	if got := h.call(list).text(t); !strings.Contains(got, "You have 1 draw alert") || !strings.Contains(got, "healthcare draws with a cutoff of 470 or less") {
		t.Errorf("alerts: %s", got)
	}
	off := slash("alert", str("off", "all"))
	off.DM, off.UserID = true, person
	if got := h.call(off).text(t); !strings.Contains(got, "Removed 1 of your draw alerts") {
		t.Errorf("alert off: %s", got)
	}

	// Someone Discord will not let the bot write to.
	const closed = "600000000000000043"
	h.fake.RefuseDM(closed, true)
	in = slash("alert", str("categories", "french"))
	in.DM, in.UserID = true, closed
	c = h.call(in)
	if got := c.text(t); !c.ephemeral() || !strings.Contains(got, "I cannot send you direct messages") || !strings.Contains(got, "Nothing was changed") {
		t.Errorf("closed DMs: %s", got)
	}
	if mine, _ := h.store.Alerts(t.Context(), "discord", closed); len(mine) != 0 {
		t.Errorf("an alert was stored for a closed DM: %+v", mine)
	}

	// In a server channel.
	c = h.call(as(slash("alert", str("categories", "stem")), person, fakediscord.PermManageChannels))
	if got := c.text(t); !c.ephemeral() || !strings.Contains(got, "Personal alerts are set up in a private chat with me") || !strings.Contains(got, "subscribe") {
		t.Errorf("server alert: %s", got)
	}
	if mine, _ := h.store.Alerts(t.Context(), "discord", person); len(mine) != 0 {
		t.Errorf("alerts after a server /alert: %+v", mine)
	}
}
