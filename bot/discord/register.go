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
func applicationCommands(specs []commands.Spec, categories []commands.Choice) []*discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	install := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	out := make([]*discordgo.ApplicationCommand, 0, len(specs))
	for _, s := range specs {
		c := &discordgo.ApplicationCommand{
			Type:             discordgo.ChatApplicationCommand,
			Name:             s.Name,
			Description:      clip(nonBlank(s.Description, s.Name), maxCommandDesc),
			Contexts:         &contexts,
			IntegrationTypes: &install,
			Options:          []*discordgo.ApplicationCommandOption{},
		}
		if fr := strings.TrimSpace(s.DescriptionFR); fr != "" {
			c.DescriptionLocalizations = &map[discordgo.Locale]string{discordgo.French: clip(fr, maxCommandDesc)}
		}
		for _, a := range s.Args {
			c.Options = append(c.Options, commandOption(a, categories))
		}
		// Discord wants required options first; Args order is kept otherwise
		// (the Request is built in Spec order whatever the option order).
		slices.SortStableFunc(c.Options, func(x, y *discordgo.ApplicationCommandOption) int {
			switch {
			case x.Required && !y.Required:
				return -1
			case !x.Required && y.Required:
				return 1
			}
			return 0
		})
		out = append(out, c)
	}
	return out
}

func commandOption(a commands.Arg, categories []commands.Choice) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionString,
		Name:        a.Name,
		Description: clip(nonBlank(a.Description, a.Name), maxCommandDesc),
		Required:    a.Required,
	}
	if fr := strings.TrimSpace(a.DescriptionFR); fr != "" {
		o.DescriptionLocalizations = map[discordgo.Locale]string{discordgo.French: clip(fr, maxCommandDesc)}
	}
	switch a.Type {
	case commands.OptInteger:
		o.Type = discordgo.ApplicationCommandOptionInteger
		if a.Min != 0 || a.Max != 0 {
			lo := float64(a.Min)
			o.MinValue = &lo
			o.MaxValue = float64(a.Max)
		}
	case commands.OptCategory:
		if choices := categoryOptionChoices(categories); choices != nil {
			o.Choices = choices
		} else {
			o.Autocomplete = true
		}
	case commands.OptNOC:
		o.Autocomplete = true
		o.MaxLength = maxChoiceValue
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
