package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
)

func TestRegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	first := h.fake.CommandsPut(fakediscord.GuildID)
	if first == nil {
		t.Fatal("nothing PUT to the guild commands path")
	}
	if len(h.fake.Requests("PUT", "/api/v9/applications/"+fakediscord.AppID+"/commands")) != 0 {
		t.Fatal("guild mode must not register globally")
	}
	var cmds []discordgo.ApplicationCommand
	if err := json.Unmarshal(first, &cmds); err != nil {
		t.Fatal(err)
	}
	var specs []commands.Spec
	for _, s := range commands.Specs() {
		if !s.Hidden { // /start is Telegram's; Discord never shows it
			specs = append(specs, s)
		}
	}
	if len(cmds) != len(specs) {
		t.Fatalf("%d commands registered, want %d", len(cmds), len(specs))
	}
	byName := map[string]discordgo.ApplicationCommand{}
	for i, c := range cmds {
		if c.Name != specs[i].Name || c.Description != specs[i].Description {
			t.Errorf("command %d = %q %q, want %q", i, c.Name, c.Description, specs[i].Name)
		}
		if c.DescriptionLocalizations == nil || (*c.DescriptionLocalizations)[discordgo.French] != specs[i].DescriptionFR {
			t.Errorf("/%s: French description missing", c.Name)
		}
		if textLen(c.Description) > 100 || c.Type != discordgo.ChatApplicationCommand {
			t.Errorf("/%s: bad description length or type", c.Name)
		}
		byName[c.Name] = c
	}
	for _, name := range []string{"eligible", "cutoff", "draws", "history", "pool", "match", "noc", "categories", "about", "help"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("/%s not registered", name)
		}
	}

	noc := byName["eligible"].Options[0]
	if noc.Name != "noc" || noc.Type != discordgo.ApplicationCommandOptionString || !noc.Autocomplete || !noc.Required || len(noc.Choices) != 0 {
		t.Errorf("eligible noc option %+v", noc)
	}
	if noc.DescriptionLocalizations[discordgo.French] == "" {
		t.Error("option without French description")
	}
	cat := byName["cutoff"].Options[0]
	want := commands.CategoryChoices()
	if cat.Autocomplete || len(cat.Choices) != len(want) || len(want) > 25 {
		t.Fatalf("cutoff category: autocomplete %v, %d choices (want %d)", cat.Autocomplete, len(cat.Choices), len(want))
	}
	for i, c := range cat.Choices {
		if c.Name != want[i].Name || c.Value != want[i].Value {
			t.Errorf("choice %d = %q/%v, want %q/%q", i, c.Name, c.Value, want[i].Name, want[i].Value)
		}
	}
	// Optional on Discord: without it, match uses the score the person saved.
	score := byName["match"].Options[0]
	if score.Name != "score" || score.Type != discordgo.ApplicationCommandOptionInteger || score.Required ||
		score.MinValue == nil || *score.MinValue != 0 || score.MaxValue != 1200 {
		t.Errorf("match score option %+v", score)
	}
	if o := byName["match"].Options; len(o) != 2 || o[1].Name != "category" || o[1].Required {
		t.Errorf("match options %+v", o)
	}
	if o := byName["pool"].Options; len(o) != 2 || o[0].Name != "score" || o[0].Type != discordgo.ApplicationCommandOptionInteger || o[0].Required || o[1].Name != "to" {
		t.Errorf("pool options %+v", o)
	}
	for _, r := range h.fake.Requests("", "/api/v9/") {
		if r.Header.Get("Authorization") != "Bot "+fakediscord.Token {
			t.Errorf("%s %s sent Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	}

	// A second run overwrites with the very same payload.
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	h.run()
	ctx := t.Context()
	puts, err := h.fake.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 2)
	if err != nil {
		t.Fatal(err)
	}
	if string(puts[1].Body) != string(puts[0].Body) {
		t.Errorf("second registration differs:\n%s\n%s", puts[0].Body, puts[1].Body)
	}
	// The second run identified afresh rather than resuming the first.
	if ids, _ := h.fake.AwaitGateway(ctx, "identify", 2); len(ids) != 2 {
		t.Errorf("%d identifies", len(ids))
	}
}

func TestRegistrationGlobal(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.GuildID = "" })
	h.start()
	if h.fake.CommandsPut("") == nil {
		t.Fatal("no global registration")
	}
	if len(h.fake.Requests("PUT", "/api/v9/applications/"+fakediscord.AppID+"/guilds/")) != 0 {
		t.Fatal("global mode registered in a guild")
	}
}

func TestSlashCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	score := fakediscord.Option{Name: "score", Type: fakediscord.OptInteger, Value: 470}
	tests := []struct {
		name      string
		in        fakediscord.Interaction
		ephemeral bool
		check     func(t *testing.T, c callback)
	}{
		{"cutoff healthcare", slash("cutoff", str("category", "healthcare")), false, func(t *testing.T, c callback) {
			e := c.embed(t)
			// The embed title is the answer: date, cutoff, invitations.
			if e.Title != "Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026" {
				t.Errorf("title %q", e.Title)
			}
			if !strings.HasSuffix(e.URL, "invitations.html?q=422") {
				t.Errorf("url %q", e.URL)
			}
			if e.Color != categoryColors["healthcare"] {
				t.Errorf("color %#x", e.Color)
			}
			if !strings.HasPrefix(e.Description, "#422 · ▲8 vs the previous healthcare draw (467, Feb 20, 2026)") {
				t.Errorf("change %q", e.Description)
			}
			// The description does not repeat the title's facts.
			if strings.Contains(e.Description, "4,000") || strings.Contains(e.Description, "Jun 25, 2026") || len(e.Fields) != 0 {
				t.Errorf("facts repeated: %q %+v", e.Description, e.Fields)
			}
			if e.Footer == nil || e.Footer.Text != "IRCC rounds feed · data as of Aug 20, 2026" || e.Timestamp != "" {
				t.Errorf("footer %+v, timestamp %q", e.Footer, e.Timestamp)
			}
		}},
		{"eligible 33109", slash("eligible", str("noc", "33109")), false, func(t *testing.T, c callback) {
			e := c.embed(t)
			if e.Title != "❌ NOC 33109 is not on a current category list" {
				t.Errorf("title %q", e.Title)
			}
			d := e.Description
			if !strings.HasPrefix(d, "Other assisting occupations in support of health services · TEER 3") ||
				strings.Count(d, "Was on ") != 1 || !strings.Contains(d, "Was on Healthcare occupations (Version 1)") || strings.Contains(d, "Listed since") {
				t.Errorf("description %q: want Version 1 only, past", d)
			}
			if n := len(e.Fields); n != 0 {
				t.Errorf("%d fields: the description says it all", n)
			}
		}},
		{"draws", slash("draws"), false, func(t *testing.T, c callback) {
			if d := c.embed(t).Description; !strings.Contains(d, "```") {
				t.Errorf("no table in %q", d)
			}
		}},
		{"draws stem", slash("draws", str("category", "stem")), false, func(t *testing.T, c callback) {
			if e := c.embed(t); e.Color != categoryColors["stem"] && e.Color != colorDefault {
				t.Errorf("color %#x", e.Color)
			}
		}},
		{"history healthcare", slash("history", str("category", "healthcare")), false, func(t *testing.T, c callback) {
			if e := c.embed(t); !strings.HasPrefix(e.Title, "15 healthcare draws") || !strings.Contains(e.Description, "422") || !strings.HasPrefix(e.Footer.Text, "Page 1 of 2") {
				t.Errorf("history %q / %+v", e.Title, e.Footer)
			}
			checkPager(t, c, "pg|history|healthcare|0", true, "pg|history|healthcare|2", false)
		}},
		{"pool", slash("pool"), false, nil},
		{"match 470 healthcare", slash("match", score, str("category", "healthcare")), true, func(t *testing.T, c callback) {
			e := c.embed(t)
			if e.Title != "470 would have cleared 4 of the last 10 healthcare draws" {
				t.Errorf("match %q", e.Title)
			}
			if !strings.Contains(e.Description, "not a prediction") {
				t.Errorf("note missing: %q", e.Description)
			}
		}},
		{"noc nurse", slash("noc", str("query", "nurse")), false, func(t *testing.T, c callback) {
			if !strings.Contains(c.Raw, "31301") {
				t.Errorf("no 31301 in %s", c.Raw)
			}
		}},
		{"categories", slash("categories"), false, nil},
		{"about", slash("about"), false, nil},
		{"help", slash("help"), true, func(t *testing.T, c callback) {
			// Discord's own syntax: slash commands, no "plain words".
			if d := c.embed(t).Description; !strings.Contains(d, "/cutoff healthcare") || strings.Contains(d, "plain words") {
				t.Errorf("help %q", d)
			}
		}},
		{"french locale", fakediscord.Interaction{Name: "cutoff", Options: []fakediscord.Option{str("category", "healthcare")}, Locale: "fr"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := h.call(tt.in)
			if c.Type != int(discordgo.InteractionResponseChannelMessageWithSource) {
				t.Fatalf("callback type %d, want 4", c.Type)
			}
			if c.ephemeral() != tt.ephemeral {
				t.Errorf("ephemeral %v, want %v", c.ephemeral(), tt.ephemeral)
			}
			if c.Data.AllowedMentions == nil || c.Data.AllowedMentions.Parse == nil || len(c.Data.AllowedMentions.Parse) != 0 {
				t.Errorf("allowed_mentions %s", c.Raw)
			}
			if !strings.Contains(c.Raw, `"allowed_mentions":{"parse":[]`) {
				t.Errorf("allowed_mentions not an empty parse list: %s", c.Raw)
			}
			if e := c.embed(t); e.Title == "" || embedLen(e) > maxEmbedTotal {
				t.Errorf("embed title %q length %d", e.Title, embedLen(e))
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func checkPager(t *testing.T, c callback, prevID string, prevDisabled bool, nextID string, nextDisabled bool) {
	t.Helper()
	if len(c.Data.Components) != 1 || len(c.Data.Components[0].Components) != 2 {
		t.Fatalf("want one row of two buttons: %s", c.Raw)
	}
	prev, next := c.Data.Components[0].Components[0], c.Data.Components[0].Components[1]
	if prev.CustomID != prevID || prev.Disabled != prevDisabled || next.CustomID != nextID || next.Disabled != nextDisabled {
		t.Errorf("buttons prev %+v next %+v; want %s/%v %s/%v", prev, next, prevID, prevDisabled, nextID, nextDisabled)
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	tests := []struct {
		command, option, typed string
		want                   []string // values that must be offered
		exact                  bool
	}{
		{"eligible", "noc", "331", []string{"33100", "33101", "33102", "33103", "33109"}, true},
		{"eligible", "noc", "nurse", []string{"31301", "31302", "32101", "33102"}, false},
		{"noc", "query", "nurse", []string{"31301"}, false},
		{"eligible", "noc", "", nil, false},
		{"eligible", "noc", "zzzz-no-such-job", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.command+" "+tt.typed, func(t *testing.T) {
			c := h.call(fakediscord.Interaction{Type: fakediscord.TypeAutocomplete, Name: tt.command,
				Options: []fakediscord.Option{{Name: tt.option, Value: tt.typed, Focused: true}}})
			if c.Type != int(discordgo.InteractionApplicationCommandAutocompleteResult) {
				t.Fatalf("type %d, want 8: %s", c.Type, c.Raw)
			}
			if !strings.Contains(c.Raw, `"choices":[`) {
				t.Fatalf("choices must be a list, even empty: %s", c.Raw)
			}
			got := map[string]bool{}
			for _, ch := range c.Data.Choices {
				v, _ := ch.Value.(string)
				got[v] = true
				if ch.Name == "" || textLen(ch.Name) > 100 || textLen(v) > 100 {
					t.Errorf("bad choice %q=%q", ch.Name, v)
				}
			}
			if len(c.Data.Choices) > 25 {
				t.Errorf("%d choices", len(c.Data.Choices))
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("%q not offered: %s", w, c.Raw)
				}
			}
			if tt.exact && len(got) != len(tt.want) {
				t.Errorf("got %d choices, want %d: %s", len(got), len(tt.want), c.Raw)
			}
		})
	}
	// The 331 choices name the unit group.
	c := h.call(fakediscord.Interaction{Type: fakediscord.TypeAutocomplete, Name: "eligible",
		Options: []fakediscord.Option{{Name: "noc", Value: "331", Focused: true}}})
	if !strings.Contains(c.Raw, "33109 Other assisting occupations in support of health services") {
		t.Errorf("choice names: %s", c.Raw)
	}
}

func TestHistoryButtons(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	c := h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: "pg|history|healthcare|2"})
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) {
		t.Fatalf("type %d, want 7 (UPDATE_MESSAGE): %s", c.Type, c.Raw)
	}
	e := c.embed(t)
	if !strings.HasPrefix(e.Title, "15 healthcare draws") || !strings.Contains(e.Description, "301  Jul 5, 2024") {
		t.Errorf("page 2: %q\n%s", e.Title, e.Description)
	}
	if e.Footer == nil || !strings.HasPrefix(e.Footer.Text, "Page 2 of 2 · ") {
		t.Errorf("footer %+v", e.Footer)
	}
	checkPager(t, c, "pg|history|healthcare|1", false, "pg|history|healthcare|3", true)
	if c.Data.AllowedMentions == nil || len(c.Data.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions %s", c.Raw)
	}

	back := h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: "pg|history|healthcare|1"})
	if back.Type != 7 || !strings.HasPrefix(back.embed(t).Footer.Text, "Page 1 of 2") {
		t.Errorf("page 1: %s", back.Raw)
	}

	// A forged or stale button gets a private note, not an edit.
	for _, id := range []string{"pg|nosuch|x|2", "garbage", "pg|history|healthcare|0"} {
		c := h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: id})
		if c.Type != 4 || !c.ephemeral() {
			t.Errorf("%q: type %d ephemeral %v", id, c.Type, c.ephemeral())
		}
	}
}

func TestInvalidInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	tests := []struct {
		name string
		in   fakediscord.Interaction
		want string // in the embed title or description
	}{
		{"unknown command", slash("bogus"), "/bogus"},
		{"unknown category", slash("cutoff", str("category", "bogus")), "bogus"},
		{"unknown option", slash("cutoff", str("sector", "healthcare")), "no option"},
		{"missing required option", slash("history"), "needs a value"},
		{"score as text", slash("match", str("score", "abc")), "whole number"},
		{"score out of range", slash("match", fakediscord.Option{Name: "score", Type: fakediscord.OptInteger, Value: 5000}), "between 0 and 1200"},
		{"score fraction", slash("match", fakediscord.Option{Name: "score", Type: fakediscord.OptInteger, Value: 470.5}), "whole number"},
		{"category as number", slash("cutoff", fakediscord.Option{Name: "category", Type: fakediscord.OptInteger, Value: 3}), "must be text"},
		{"eligible nonsense", slash("eligible", str("noc", "99999")), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := h.call(tt.in)
			if c.Type != 4 || !c.ephemeral() {
				t.Fatalf("type %d ephemeral %v: %s", c.Type, c.ephemeral(), c.Raw)
			}
			e := c.embed(t)
			if !strings.Contains(e.Title+" "+e.Description, tt.want) {
				t.Errorf("want %q in %q / %q", tt.want, e.Title, e.Description)
			}
		})
	}
}

func TestDMInteraction(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	c := h.call(fakediscord.Interaction{Name: "cutoff", Options: []fakediscord.Option{str("category", "healthcare")}, DM: true})
	if c.Type != 4 || c.ephemeral() || !strings.Contains(c.embed(t).Title, "CRS 475") {
		t.Fatalf("DM answer: %s", c.Raw)
	}
	ac := h.call(fakediscord.Interaction{Type: fakediscord.TypeAutocomplete, Name: "eligible", DM: true,
		Options: []fakediscord.Option{{Name: "noc", Value: "331", Focused: true}}})
	if len(ac.Data.Choices) != 5 {
		t.Fatalf("DM autocomplete: %s", ac.Raw)
	}
	btn := h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, DM: true, CustomID: "pg|history|healthcare|2"})
	if btn.Type != 7 {
		t.Fatalf("DM button: %s", btn.Raw)
	}
}

func TestHostileTextCannotPingThroughFake(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	c := h.call(slash("noc", str("query", "@everyone <@123> <@&456> @here")))
	if !strings.Contains(c.Raw, `"allowed_mentions":{"parse":[]`) {
		t.Fatalf("allowed_mentions: %s", c.Raw)
	}
	if c.Data.Content != "" {
		t.Errorf("content %q: answers are embeds only", c.Data.Content)
	}
	e := c.embed(t)
	all := e.Title + e.Description
	for _, f := range e.Fields {
		all += f.Name + f.Value
	}
	if strings.Contains(strings.ReplaceAll(all, `\<`, ""), "<@") {
		t.Errorf("unescaped mention syntax in %q", all)
	}
}
