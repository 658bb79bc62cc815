package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/reply"
)

func TestPagerIDRoundTrip(t *testing.T) {
	tests := []struct {
		id   string
		want press
		ok   bool
	}{
		{"pg|history|healthcare|2", press{command: "history", args: "healthcare", page: 2}, true},
		{"pg|match|470 healthcare|3", press{command: "match", args: "470 healthcare", page: 3}, true},
		{"pg|draws||1", press{command: "draws", args: "", page: 1}, true},
		{"pg|x|a|b|4", press{command: "x", args: "a|b", page: 4}, true},
		{"pg|history|healthcare|0", press{}, false},
		{"pg|history|healthcare|-1", press{}, false},
		{"pg|history|healthcare|99999999", press{}, false},
		{"pg|history|healthcare|x", press{}, false},
		{"pg||healthcare|2", press{}, false},
		{"pg|history", press{}, false},
		{"other|history|healthcare|2", press{}, false},
		{"", press{}, false},
		{"pg|history|" + strings.Repeat("a", 100) + "|2", press{}, false},
	}
	for _, tt := range tests {
		got, ok := parsePagerID(tt.id)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parsePagerID(%q) = %+v, %v; want %+v, %v", tt.id, got, ok, tt.want, tt.ok)
		}
	}
	if id := pagerID("history", "healthcare", 2); id != "pg|history|healthcare|2" {
		t.Errorf("pagerID = %q", id)
	}
}

func TestPagerButtons(t *testing.T) {
	buttons := func(p *reply.Pager) []discordgo.Button {
		cs := pagerButtons(p, testWords)
		if len(cs) == 0 {
			return nil
		}
		var out []discordgo.Button
		for _, c := range cs[0].(discordgo.ActionsRow).Components {
			out = append(out, c.(discordgo.Button))
		}
		return out
	}
	if b := buttons(nil); b != nil {
		t.Fatal("no pager, no buttons")
	}
	if b := buttons(&reply.Pager{Command: "history", Args: "stem", Page: 1, Pages: 1}); b != nil {
		t.Fatal("one page, no buttons")
	}
	first := buttons(&reply.Pager{Command: "history", Args: "stem", Page: 1, Pages: 3})
	if !first[0].Disabled || first[1].Disabled || first[1].CustomID != "pg|history|stem|2" || first[0].CustomID == first[1].CustomID {
		t.Fatalf("first page buttons %+v", first)
	}
	mid := buttons(&reply.Pager{Command: "history", Args: "stem", Page: 2, Pages: 3})
	if mid[0].Disabled || mid[1].Disabled || mid[0].CustomID != "pg|history|stem|1" || mid[1].CustomID != "pg|history|stem|3" {
		t.Fatalf("middle page buttons %+v", mid)
	}
	last := buttons(&reply.Pager{Command: "history", Args: "stem", Page: 3, Pages: 3})
	if last[0].Disabled || !last[1].Disabled {
		t.Fatalf("last page buttons %+v", last)
	}
	if b := buttons(&reply.Pager{Command: "history", Args: strings.Repeat("a", 95), Page: 1, Pages: 2}); b != nil {
		t.Fatal("state too long for a custom_id must give no buttons")
	}
}
