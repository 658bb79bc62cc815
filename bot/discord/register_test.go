package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
)

func TestApplicationCommandsIdempotent(t *testing.T) {
	a, _ := json.Marshal(applicationCommands(commands.Specs(), commands.CategoryChoices()))
	b, _ := json.Marshal(applicationCommands(commands.Specs(), commands.CategoryChoices()))
	if string(a) != string(b) {
		t.Fatal("definitions differ between two builds")
	}
	if !strings.Contains(string(a), `"contexts":[0,1]`) {
		t.Fatalf("want contexts guild+bot DM: %s", a)
	}
}

func TestCategoryOptionFallsBackToAutocomplete(t *testing.T) {
	var many []commands.Choice
	for i := range 30 {
		many = append(many, commands.Choice{Name: fmt.Sprintf("Category %d", i), Value: fmt.Sprintf("c%d", i)})
	}
	arg := commands.Arg{Name: "category", Description: "d", Type: commands.ArgCategory}
	for _, tt := range []struct {
		name    string
		choices []commands.Choice
		auto    bool
	}{
		{"fits", many[:25], false},
		{"too many", many, true},
		{"none", nil, true},
		{"value too long", []commands.Choice{{Name: "x", Value: strings.Repeat("v", 101)}}, true},
	} {
		o := commandOption(arg, tt.choices)
		if o.Autocomplete != tt.auto || (o.Autocomplete && o.Choices != nil) || (!o.Autocomplete && len(o.Choices) != len(tt.choices)) {
			t.Errorf("%s: autocomplete %v, %d choices", tt.name, o.Autocomplete, len(o.Choices))
		}
	}
	got := filterChoices(many, "category 2")
	if len(got) != 11 || got[0].Value != "c2" {
		t.Errorf("filter: %d, first %v", len(got), got)
	}
	if len(choicesResponse(many).Data.Choices) != 25 {
		t.Error("autocomplete answer must stop at 25")
	}
}

func TestRequiredOptionsFirst(t *testing.T) {
	specs := []commands.Spec{{Name: "x", Description: "d", Args: []commands.Arg{
		{Name: "opt", Description: "o"}, {Name: "req", Description: "r", Required: true},
	}}}
	cmds := applicationCommands(specs, nil)
	if o := cmds[0].Options; o[0].Name != "req" || o[1].Name != "opt" {
		t.Fatalf("order %s, %s", o[0].Name, o[1].Name)
	}
	if cmds[0].Options[0].Type != discordgo.ApplicationCommandOptionString {
		t.Fatal("type")
	}
}

func TestBuildRequestOrder(t *testing.T) {
	b := &Bot{specByID: map[string]commands.Spec{}}
	for _, s := range commands.Specs() {
		b.specByID[s.Key()] = s
	}
	opts := []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "category", Type: discordgo.ApplicationCommandOptionString, Value: "healthcare"},
		{Name: "score", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(470)},
	}
	r, err := b.buildRequest("match", opts, fakediscord.GuildID)
	if n, _ := r.Options.Int("score"); err != nil || r.Command != "match" || n != 470 || r.Options.Text("category") != "healthcare" {
		t.Fatalf("got %+v, %v", r, err)
	}
	r, err = b.buildRequest("match", opts[1:], fakediscord.GuildID)
	if n, _ := r.Options.Int("score"); err != nil || n != 470 || r.Options.Has("category") {
		t.Fatalf("got %+v, %v", r, err)
	}
	if requestLocale(discordgo.French) != "fr" || requestLocale(discordgo.EnglishUS) != "" {
		t.Error("locale")
	}
}
