package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
)

// applicationCommands turns the engine's specs into slash-command
// definitions. The result depends only on its inputs, so a bulk overwrite
// with it is idempotent.
//
// Who sees what (a convenience only: the engine checks Caller again):
// Everyone commands work in servers and the bot's DMs; Managers commands
// (subscriptions) only in servers, shown to members with Manage Channels;
// Moderators commands in servers to members with Manage Server, and in DMs
// so a moderator can preview privately. Specs sharing a Name with a Sub
// become one command with those subcommands ("/draw add").
func applicationCommands(specs []commands.Spec, categories []commands.Choice) []*discordgo.ApplicationCommand {
	everywhere := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	install := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	manage := int64(discordgo.PermissionManageChannels)
	moderate := int64(discordgo.PermissionManageGuild)
	out := make([]*discordgo.ApplicationCommand, 0, len(specs))
	byName := map[string]*discordgo.ApplicationCommand{}
	for _, s := range specs {
		if s.Hidden {
			continue // typed, never offered (Telegram's /start)
		}
		options := make([]*discordgo.ApplicationCommandOption, 0, len(s.Args))
		for _, a := range s.Args {
			if !a.Hidden {
				options = append(options, commandOption(a, categories))
			}
		}
		// Discord wants required options first; Args order is kept otherwise
		// (the Request is built in Spec order whatever the option order).
		slices.SortStableFunc(options, func(x, y *discordgo.ApplicationCommandOption) int {
			switch {
			case x.Required && !y.Required:
				return -1
			case !x.Required && y.Required:
				return 1
			}
			return 0
		})
		if c := byName[s.Name]; c != nil && s.Sub != "" {
			c.Options = append(c.Options, subcommand(s, options))
			continue
		}
		c := &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             s.Name,
			Description:      clip(nonBlank(s.Description, s.Name), maxCommandDesc),
			Contexts:         &everywhere,
			IntegrationTypes: &install,
			Options:          options,
		}
		if fr := strings.TrimSpace(s.DescriptionFR); fr != "" {
			c.DescriptionLocalizations = &map[discordgo.Locale]string{discordgo.French: clip(fr, maxCommandDesc)}
		}
		switch s.Access {
		case commands.Managers:
			c.Contexts, c.DefaultMemberPermissions = &guildOnly, &manage
		case commands.Moderators:
			c.DefaultMemberPermissions = &moderate
		}
		if s.Sub != "" {
			c.Options = []*discordgo.ApplicationCommandOption{subcommand(s, options)}
		}
		byName[s.Name] = c
		out = append(out, c)
	}
	return out
}

// subcommand is a Spec's Sub as a SUB_COMMAND option holding its Args.
func subcommand(s commands.Spec, options []*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionSubCommand,
		Name:        s.Sub,
		Description: clip(nonBlank(s.Description, s.Sub), maxCommandDesc),
		Options:     options,
	}
	if fr := strings.TrimSpace(s.DescriptionFR); fr != "" {
		o.DescriptionLocalizations = map[discordgo.Locale]string{discordgo.French: clip(fr, maxCommandDesc)}
	}
	return o
}

func commandOption(a commands.Arg, categories []commands.Choice) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionString,
		Name:        a.Name,
		Description: clip(nonBlank(a.Description, a.Name), maxCommandDesc),
		Required:    a.MustGive(),
	}
	if fr := strings.TrimSpace(a.DescriptionFR); fr != "" {
		o.DescriptionLocalizations = map[discordgo.Locale]string{discordgo.French: clip(fr, maxCommandDesc)}
	}
	switch a.Type {
	case commands.ArgInt:
		o.Type = discordgo.ApplicationCommandOptionInteger
		if a.Min != 0 || a.Max != 0 {
			lo := float64(a.Min)
			o.MinValue = &lo
			o.MaxValue = float64(a.Max)
		}
	case commands.ArgCategory:
		if choices := categoryOptionChoices(categories); choices != nil {
			o.Choices = choices
		} else {
			o.Autocomplete = true
		}
	case commands.ArgNOC:
		o.Autocomplete = true
		o.MaxLength = maxChoiceValue
	case commands.ArgRole:
		o.Type = discordgo.ApplicationCommandOptionRole
	case commands.ArgChoice:
		for _, c := range a.Choices {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: c})
		}
	}
	return o
}

// categoryOptionChoices returns fixed choices when they fit Discord's rules
// (1 to 25, names and values ≤ 100), or nil to mean "use autocomplete".
func categoryOptionChoices(cs []commands.Choice) []*discordgo.ApplicationCommandOptionChoice {
	if len(cs) == 0 || len(cs) > maxChoices {
		return nil
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(cs))
	for _, c := range cs {
		if c.Value == "" || textLen(c.Value) > maxChoiceValue {
			return nil
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip(nonBlank(c.Name, c.Value), maxChoiceName), Value: c.Value})
	}
	return out
}

func nonBlank(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// register bulk-overwrites the bot's commands: in one guild when guildID is
// set (visible at once), else globally.
func (b *Bot) register(ctx context.Context, appID string) error {
	cmds := applicationCommands(b.specs, commands.CategoryChoices())
	got, err := b.rest.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, cmds, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: register commands: %w", err)
	}
	scope := "global"
	if b.cfg.GuildID != "" {
		scope = "guild " + b.cfg.GuildID
	}
	b.log.Info("discord: commands registered", "count", len(got), "scope", scope)
	return nil
}
