package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
)

// /crs asks its questions in an ephemeral message whose buttons update it
// in place; /crs with a profile scores it at once, privately.
func TestCRSGuidedEphemeral(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	const user = "500000000000000001"
	c := h.call(as(slash("crs"), user, 0))
	if c.Type != int(discordgo.InteractionResponseChannelMessageWithSource) || !c.ephemeral() || !strings.Contains(c.text(t), "spouse") {
		t.Fatalf("first question: %s", c.Raw)
	}
	press := func(c callback, label string) callback {
		t.Helper()
		shown, _ := json.Marshal(c.Data.Components)
		for _, row := range c.Data.Components {
			for _, b := range row.Components {
				if b.Label == label {
					return h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: b.CustomID, UserID: user,
						MessageComponents: json.RawMessage(shown)})
				}
			}
		}
		t.Fatalf("no button %q: %s", label, c.Raw)
		return callback{}
	}
	c = press(c, "No")
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(c.text(t), "How old") {
		t.Fatalf("after No: %s", c.Raw)
	}
	n := 0
	for _, row := range c.Data.Components {
		n += len(row.Components)
	}
	if n != 21 { // ≤17, 18, 19, 20–29, 30 … 44, 45+, Back
		t.Errorf("%d age buttons, want 21", n)
	}
	c = press(c, "20–29")
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(c.text(t), "education") {
		t.Errorf("after the age: %s", c.Raw)
	}
	line := h.call(as(slash("crs", str("profile", "age=29 education=bachelor english=L9,R8,W8,S7 canada=2")), user, 0))
	if !line.ephemeral() || !strings.HasPrefix(line.embed(t).Title, "CRS 4") {
		t.Errorf("one line: %s", line.Raw)
	}
}
