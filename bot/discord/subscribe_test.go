package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

const (
	modID   = "600000000000000009" // a configured moderator
	roleID1 = "777000000000000001"
)

func moderators(c *Config) {
	c.Moderators = func(id string) bool { return id == modID }
}

func integer(name string, v int) fakediscord.Option {
	return fakediscord.Option{Name: name, Type: fakediscord.OptInteger, Value: v}
}

func role(name, id string) fakediscord.Option {
	return fakediscord.Option{Name: name, Type: fakediscord.OptRole, Value: id}
}

// as sets who sends an interaction and with which channel permissions.
func as(in fakediscord.Interaction, userID string, perms int64) fakediscord.Interaction {
	in.UserID, in.Permissions = userID, perms
	return in
}

func (h *harness) subs(channel string) []domain.Subscription {
	h.t.Helper()
	subs, err := h.store.Subscriptions(h.t.Context(), "discord", channel)
	if err != nil {
		h.t.Fatal(err)
	}
	return subs
}

func (c callback) text(t testing.TB) string {
	t.Helper()
	e := c.embed(t)
	return e.Title + "\n" + e.Description
}

func TestCaller(t *testing.T) {
	b := &Bot{cfg: Config{Moderators: func(id string) bool { return id == modID }}}
	member := func(id string, perms int64) *discordgo.Member {
		return &discordgo.Member{User: &discordgo.User{ID: id}, Permissions: perms}
	}
	tests := []struct {
		name string
		i    discordgo.Interaction
		want commands.Caller
	}{
		{"member without permission", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: member("3", discordgo.PermissionSendMessages)},
			commands.Caller{Platform: "discord", UserID: "3", Destination: "2", Guild: "1"}},
		{"manage channels", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: member("3", discordgo.PermissionManageChannels)},
			commands.Caller{Platform: "discord", UserID: "3", Destination: "2", Guild: "1", CanManage: true}},
		{"administrator", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: member(modID, discordgo.PermissionAdministrator)},
			commands.Caller{Platform: "discord", UserID: modID, Destination: "2", Guild: "1", CanManage: true, Moderator: true}},
		{"manage guild is not manage channels", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: member("3", discordgo.PermissionManageGuild)},
			commands.Caller{Platform: "discord", UserID: "3", Destination: "2", Guild: "1"}},
		{"DM", discordgo.Interaction{ChannelID: "5", User: &discordgo.User{ID: modID}},
			commands.Caller{Platform: "discord", UserID: modID, Destination: "5", Private: true, Moderator: true}},
	}
	for _, tt := range tests {
		if got := b.caller(&tt.i); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if (&Bot{}).caller(&discordgo.Interaction{GuildID: "1", Member: member(modID, 0)}).Moderator {
		t.Error("nil Moderators must mean nobody")
	}
}

func TestSubscribe(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.start()
	const manage = fakediscord.PermManageChannels

	// A member without Manage Channels is refused, politely and privately.
	c := h.call(as(slash("subscribe", str("categories", "healthcare"), integer("max_crs", 480)), "600000000000000002", 0))
	if !c.ephemeral() || !strings.Contains(c.text(t), "Nothing was changed") {
		t.Errorf("refusal: %s", c.Raw)
	}
	if n := len(h.subs(fakediscord.ChannelID)); n != 0 {
		t.Fatalf("%d subscriptions after a refusal", n)
	}

	// A member with it subscribes the channel.
	c = h.call(as(slash("subscribe", str("categories", "healthcare"), integer("max_crs", 480)), fakediscord.UserID, manage))
	if !c.ephemeral() || !strings.Contains(c.text(t), "🔔 This channel will get a post for healthcare draws") || !strings.Contains(c.text(t), "cutoff of 480 or less") {
		t.Errorf("confirmation: %s", c.Raw)
	}
	subs := h.subs(fakediscord.ChannelID)
	if len(subs) != 1 || !slices.Equal(subs[0].Categories, []domain.Key{"healthcare"}) || subs[0].MaxCRS != 480 ||
		subs[0].Mention != "" || subs[0].CreatedBy != fakediscord.UserID {
		t.Fatalf("stored %+v", subs)
	}

	// With a role to ping.
	c = h.call(as(slash("subscribe", role("role", roleID1)), fakediscord.UserID, manage))
	if !c.ephemeral() || !strings.Contains(c.text(t), "pinging the chosen role") {
		t.Errorf("role confirmation: %s", c.Raw)
	}
	subs = h.subs(fakediscord.ChannelID)
	if len(subs) != 2 || subs[1].Mention != roleID1 || len(subs[1].Categories) != 0 {
		t.Fatalf("stored %+v", subs)
	}
	// @everyone (the role whose ID is the guild's) is refused before the engine.
	c = h.call(as(slash("subscribe", str("categories", "stem"), role("role", fakediscord.GuildID)), fakediscord.UserID, manage))
	if !c.ephemeral() || !strings.Contains(c.text(t), "@everyone") {
		t.Errorf("@everyone: %s", c.Raw)
	}
	if n := len(h.subs(fakediscord.ChannelID)); n != 2 {
		t.Fatalf("%d subscriptions after refusing @everyone", n)
	}
	// A bot that cannot post in the channel says so instead of subscribing.
	in := as(slash("subscribe"), fakediscord.UserID, manage)
	in.AppPermissions = "1024" // View Channel only
	c = h.call(in)
	if !c.ephemeral() || !strings.Contains(c.text(t), "Send Messages") || len(h.subs(fakediscord.ChannelID)) != 2 {
		t.Errorf("bot without permission: %s", c.Raw)
	}
	// Another channel's subscriptions are its own.
	in = as(slash("subscribe", str("categories", "french")), fakediscord.UserID, manage)
	in.ChannelID = "300000000000000002"
	h.call(in)
	if n := len(h.subs("300000000000000002")); n != 1 {
		t.Fatalf("other channel: %d subscriptions", n)
	}

	// Anyone can list them.
	c = h.call(as(slash("subscriptions"), "600000000000000002", 0))
	if txt := c.text(t); !c.ephemeral() || !strings.Contains(txt, "2 draw alerts") || !strings.Contains(txt, "healthcare") ||
		!strings.Contains(txt, "every draw") || strings.Contains(txt, "French") {
		t.Errorf("subscriptions: %s", c.Raw)
	}

	// Unsubscribing needs the permission too.
	c = h.call(as(slash("unsubscribe", str("which", "all")), "600000000000000002", 0))
	if !c.ephemeral() || len(h.subs(fakediscord.ChannelID)) != 2 {
		t.Errorf("unsubscribe without permission: %s", c.Raw)
	}
	c = h.call(as(slash("unsubscribe", str("which", "all")), fakediscord.UserID, fakediscord.PermAdministrator))
	if !c.ephemeral() || !strings.Contains(c.text(t), "Removed 2 draw alerts") {
		t.Errorf("unsubscribe: %s", c.Raw)
	}
	if n := len(h.subs(fakediscord.ChannelID)); n != 0 {
		t.Fatalf("%d subscriptions left", n)
	}
	if n := len(h.subs("300000000000000002")); n != 1 {
		t.Fatalf("unsubscribe all touched another channel")
	}

	// In a DM nobody manages anything.
	dm := slash("subscribe")
	dm.DM = true
	c = h.call(dm)
	if !c.ephemeral() || strings.Contains(c.text(t), "Draw alerts on") {
		t.Errorf("DM subscribe: %s", c.Raw)
	}
}

func TestAnnounce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, moderators)
	h.start()
	ctx := t.Context()
	for _, s := range []domain.Subscription{
		{Destination: "300000000000000011"},
		{Destination: "300000000000000012", Mention: roleID1},
		{Destination: "300000000000000013", Categories: []domain.Key{"healthcare"}}, // #437 is French: no match
		{Platform: "telegram", Destination: "-100123"},
	} {
		if s.Platform == "" {
			s.Platform = "discord"
		}
		if _, _, err := h.store.Subscribe(ctx, s); err != nil {
			t.Fatal(err)
		}
	}

	// Not a moderator: refused, even with every permission.
	c := h.call(as(slash("announce"), fakediscord.UserID, fakediscord.PermAdministrator))
	if !c.ephemeral() || !strings.Contains(c.text(t), "moderators") || len(c.Data.Components) != 0 {
		t.Errorf("non-moderator announce: %s", c.Raw)
	}

	// A moderator gets a private preview with Post and Cancel.
	c = h.call(as(slash("announce"), modID, 0))
	if !c.ephemeral() || !strings.Contains(c.embed(t).Description, "#437") || !strings.Contains(c.embed(t).Description, "Preview") {
		t.Fatalf("preview: %s", c.Raw)
	}
	if len(c.Data.Components) != 1 || len(c.Data.Components[0].Components) != 2 {
		t.Fatalf("buttons: %s", c.Raw)
	}
	post, cancel := c.Data.Components[0].Components[0], c.Data.Components[0].Components[1]
	id := strings.TrimPrefix(post.CustomID, "act|announce|post 437 ")
	if len(id) != 16 || post.Label != "Post to 3 destinations" || post.Style != int(discordgo.PrimaryButton) {
		t.Errorf("post button %+v", post)
	}
	if cancel.CustomID != "act|announce|cancel 437 "+id || cancel.Style != int(discordgo.DangerButton) {
		t.Errorf("cancel button %+v", cancel)
	}
	press := func(userID, customID string) callback {
		return h.call(fakediscord.Interaction{Type: fakediscord.TypeComponent, CustomID: customID, UserID: userID})
	}
	pending := func() int {
		n, err := h.store.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n["pending"]
	}

	// Someone else pressing Post does nothing but tell them so.
	c = press(fakediscord.UserID, post.CustomID)
	if c.Type != int(discordgo.InteractionResponseChannelMessageWithSource) || !c.ephemeral() || !strings.Contains(c.text(t), "moderators") {
		t.Errorf("non-moderator press: %s", c.Raw)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d posts queued by a non-moderator", n)
	}

	// Cancel replaces the preview and queues nothing.
	c = press(modID, cancel.CustomID)
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(c.text(t), "Nothing was posted about draw #437") || len(c.Data.Components) != 0 {
		t.Errorf("cancel: %s", c.Raw)
	}
	if !strings.Contains(c.Raw, `"components":[]`) {
		t.Errorf("the update must clear the buttons: %s", c.Raw)
	}
	if n := pending(); n != 0 {
		t.Fatalf("%d posts queued by Cancel", n)
	}

	// Post, on a new preview, queues one delivery per matching subscription.
	c = h.call(as(slash("announce"), modID, 0))
	post = c.Data.Components[0].Components[0]
	c = press(modID, post.CustomID)
	if c.Type != int(discordgo.InteractionResponseUpdateMessage) || !strings.Contains(c.text(t), "queued to 3 destinations") ||
		!strings.Contains(c.Raw, `"components":[]`) {
		t.Errorf("post: %s", c.Raw)
	}
	if n := pending(); n != 3 {
		t.Fatalf("%d pending deliveries, want 3", n)
	}

	// Announce a given draw, from a DM.
	dm := as(slash("announce", str("draw", "436")), modID, 0)
	dm.DM = true
	c = h.call(dm)
	if !c.ephemeral() || !strings.Contains(c.embed(t).Description, "#436") || len(c.Data.Components) != 1 {
		t.Errorf("DM preview: %s", c.Raw)
	}
}

func TestDrawAdd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, moderators)
	h.start()
	ctx := t.Context()
	add := func(userID string) fakediscord.Interaction {
		in := slash("draw", str("number", "438"), str("date", "2026-08-20"), str("category", "healthcare"),
			integer("invitations", 3000), integer("crs", 470), str("tie_break", "2026-08-01 12:00:00"))
		in.Sub = "add"
		return as(in, userID, fakediscord.PermAdministrator)
	}
	c := h.call(add(fakediscord.UserID))
	if !c.ephemeral() || !strings.Contains(c.text(t), "moderators") {
		t.Errorf("non-moderator: %s", c.Raw)
	}
	if _, err := h.store.Draw(ctx, "438"); err == nil {
		t.Fatal("a non-moderator stored a draw")
	}

	c = h.call(add(modID))
	if !c.ephemeral() || !strings.Contains(c.text(t), "Draw #438 stored") {
		t.Fatalf("draw add: %s", c.Raw)
	}
	d, err := h.store.Draw(ctx, "438")
	if err != nil {
		t.Fatal(err)
	}
	if d.Origin != domain.OriginModerator || d.Category != "healthcare" || d.CRS != 470 || d.Size != 3000 || d.Date != "2026-08-20" || d.TieRaw == "" {
		t.Errorf("stored %+v", d)
	}

	// /draw without its subcommand is not a command.
	c = h.call(as(slash("draw", str("number", "439")), modID, 0))
	if !c.ephemeral() || !strings.Contains(c.text(t), "don't know") {
		t.Errorf("draw without add: %s", c.Raw)
	}
}

func TestBuildRequestSubcommandAndRole(t *testing.T) {
	b := &Bot{specByID: map[string]commands.Spec{}, names: map[string]bool{}}
	for _, s := range commands.Specs() {
		b.specByID[s.Key()] = s
	}
	sub := []*discordgo.ApplicationCommandInteractionDataOption{{Name: "add", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "crs", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(470)},
			{Name: "number", Type: discordgo.ApplicationCommandOptionString, Value: "438"},
			{Name: "date", Type: discordgo.ApplicationCommandOptionString, Value: "2026-08-20"},
			{Name: "category", Type: discordgo.ApplicationCommandOptionString, Value: "healthcare"},
			{Name: "invitations", Type: discordgo.ApplicationCommandOptionInteger, Value: float64(3000)},
		}}}
	r, err := b.buildRequest("draw", sub, fakediscord.GuildID)
	crs, _ := r.Options.Int("crs")
	size, _ := r.Options.Int("invitations")
	if err != nil || r.Command != "draw add" || r.Options.Text("number") != "438" || r.Options.Text("date") != "2026-08-20" ||
		r.Options.Text("category") != "healthcare" || size != 3000 || crs != 470 {
		t.Fatalf("got %+v, %v", r, err)
	}
	sub[0].Name = "remove"
	if _, err := b.buildRequest("draw", sub, fakediscord.GuildID); err == nil {
		t.Error("unknown subcommand accepted")
	}
	roleOpt := func(v any) []*discordgo.ApplicationCommandInteractionDataOption {
		return []*discordgo.ApplicationCommandInteractionDataOption{{Name: "role", Type: discordgo.ApplicationCommandOptionRole, Value: v}}
	}
	r, err = b.buildRequest("subscribe", roleOpt(roleID1), fakediscord.GuildID)
	if err != nil || r.Options.Text("role") != roleID1 {
		t.Fatalf("role: %+v, %v", r, err)
	}
	for _, bad := range []any{fakediscord.GuildID, "@everyone", "<@&1>", float64(1)} {
		if _, err := b.buildRequest("subscribe", roleOpt(bad), fakediscord.GuildID); err == nil {
			t.Errorf("role %v accepted", bad)
		}
	}
}

func TestRegistrationAccess(t *testing.T) {
	raw, _ := json.Marshal(applicationCommands(commands.Specs(), commands.CategoryChoices()))
	var cmds []map[string]any
	if err := json.Unmarshal(raw, &cmds); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]any{}
	for _, c := range cmds {
		if _, dup := byName[c["name"].(string)]; dup {
			t.Errorf("/%s registered twice", c["name"])
		}
		byName[c["name"].(string)] = c
	}
	for _, name := range []string{"subscribe", "subscriptions", "unsubscribe"} {
		c := byName[name]
		if c["default_member_permissions"] != "16" || c["dm_permission"] != nil || !slices.Equal(toInts(c["contexts"]), []int{0}) {
			t.Errorf("/%s: perms %v, dm %v, contexts %v", name, c["default_member_permissions"], c["dm_permission"], c["contexts"])
		}
	}
	for _, name := range []string{"announce", "draw"} {
		c := byName[name]
		if c["default_member_permissions"] != "32" || c["dm_permission"] != nil || !slices.Equal(toInts(c["contexts"]), []int{0, 1}) {
			t.Errorf("/%s: perms %v, dm %v, contexts %v", name, c["default_member_permissions"], c["dm_permission"], c["contexts"])
		}
	}
	for _, name := range []string{"cutoff", "help"} {
		if _, ok := byName[name]["default_member_permissions"]; ok {
			t.Errorf("/%s must be visible to everyone", name)
		}
	}
	// /draw holds the subcommand add, whose options are the Spec's Args.
	opts := byName["draw"]["options"].([]any)
	if len(opts) != 1 {
		t.Fatalf("/draw options %v", opts)
	}
	add := opts[0].(map[string]any)
	if add["name"] != "add" || add["type"] != float64(1) {
		t.Fatalf("/draw add %v", add)
	}
	var names []string
	for _, o := range add["options"].([]any) {
		o := o.(map[string]any)
		names = append(names, o["name"].(string))
		if o["name"] == "category" && len(o["choices"].([]any)) == 0 {
			t.Error("draw add category without choices")
		}
	}
	if !slices.Equal(names, []string{"number", "date", "category", "invitations", "crs", "tie_break"}) {
		t.Errorf("/draw add options %v", names)
	}
	// The role option is a Discord role.
	for _, o := range byName["subscribe"]["options"].([]any) {
		if o := o.(map[string]any); o["name"] == "role" && o["type"] != float64(8) {
			t.Errorf("role option type %v", o["type"])
		}
	}
}

func toInts(v any) []int {
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(x.(float64)))
	}
	return out
}

func TestActionButtons(t *testing.T) {
	long := strings.Repeat("x", 100)
	rows := actionButtons([]reply.Action{
		{Label: "Post to 3", Command: "announce", Args: "post 437"},
		{Label: "Cancel", Command: "announce", Args: "cancel 437", Danger: true},
		{Label: "Too long", Command: "announce", Args: long},
		{Label: "Dup", Command: "announce", Args: "post 437"},
		{Label: "", Command: "x", Args: "1"}, {Label: "b", Command: "x", Args: "2"}, {Label: "c", Command: "x", Args: "3"},
		{Label: "d", Command: "x", Args: "4"},
	})
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	first := rows[0].(discordgo.ActionsRow).Components
	if len(first) != 5 || first[1].(discordgo.Button).Style != discordgo.DangerButton || first[2].(discordgo.Button).Label != "x" {
		t.Errorf("first row %+v", first)
	}
	for _, id := range []string{"act|announce|post 437", "act|x|a|b"} {
		r, ok := parseActionID(id)
		if !ok || "act|"+r.command+"|"+r.args != id {
			t.Errorf("parse %q = %+v", id, r)
		}
	}
	if _, ok := parseActionID("act|" + long); ok {
		t.Error("oversized custom_id accepted")
	}
	if _, ok := parseActionID("pg|history|x|2"); ok {
		t.Error("pager id parsed as an action")
	}
}
