package discord

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
)

// inputError is a problem with what the user sent: a message ID and its
// values, written in the user's language when it is shown.
type inputError struct {
	id   string
	args []any
}

func (e *inputError) Error() string { return fmt.Sprint(append([]any{e.id}, e.args...)...) }

func badInput(id string, args ...any) *inputError { return &inputError{id: id, args: args} }

// buildRequest turns a slash command's options into an engine Request with
// named, typed options. It rejects unknown commands, subcommands and
// options, values of the wrong type, and a role option naming @everyone
// (whose ID is the guild's). Ranges, categories and required values are
// the engine's to check.
func (b *Bot) buildRequest(name string, opts []*discordgo.ApplicationCommandInteractionDataOption, guildID string) (commands.Request, error) {
	spec, opts, ok := b.resolveSpec(name, opts)
	if !ok {
		return commands.Request{}, badInput("discord.input.unknown_command", "Name", oneLine(name))
	}
	r := commands.Request{Command: spec.Key()}
	for _, o := range opts {
		if o == nil {
			continue
		}
		arg, ok := spec.Arg(o.Name)
		if !ok || arg.Hidden {
			return commands.Request{}, badInput("discord.input.no_option", "Command", slashName(spec), "Option", oneLine(o.Name))
		}
		v, err := optionValue(arg, o.Value, guildID)
		if err != nil {
			return commands.Request{}, err
		}
		r.Options.Set(arg.Name, v)
	}
	for _, a := range spec.Args {
		if a.MustGive() && !r.Options.Has(a.Name) {
			return commands.Request{}, badInput("discord.input.missing", "Command", slashName(spec), "Option", a.Name)
		}
	}
	return r, nil
}

func slashName(s commands.Spec) string { return "/" + s.Key() }

// resolveSpec finds the Spec of a command and the options that belong to
// it: a command registered with subcommands carries exactly one option of
// type SUB_COMMAND whose own options are the Spec's Args.
func (b *Bot) resolveSpec(name string, opts []*discordgo.ApplicationCommandInteractionDataOption) (commands.Spec, []*discordgo.ApplicationCommandInteractionDataOption, bool) {
	if len(opts) == 1 && opts[0] != nil && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		s, ok := b.specByID[name+" "+opts[0].Name]
		return s, opts[0].Options, ok
	}
	s, ok := b.specByID[name]
	return s, opts, ok
}

// optionValue reads one option value, checking it fits the arg's type.
// discordgo decodes JSON numbers as float64; its typed accessors panic on a
// mismatch, so this never calls them.
func optionValue(a commands.Arg, v any, guildID string) (commands.Value, error) {
	switch a.Type {
	case commands.ArgRole:
		id, _ := v.(string)
		if !isSnowflake(id) {
			return commands.Value{}, badInput("discord.input.role", "Option", a.Name)
		}
		if id == guildID {
			return commands.Value{}, badInput("discord.input.everyone")
		}
		return commands.TextValue(id), nil
	case commands.ArgInt:
		var n float64
		switch x := v.(type) {
		case float64:
			n = x
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return commands.Value{}, badInput("discord.input.whole", "Option", a.Name)
			}
			n = f
		default:
			return commands.Value{}, badInput("discord.input.whole", "Option", a.Name)
		}
		if n != math.Trunc(n) || math.IsInf(n, 0) || math.IsNaN(n) || math.Abs(n) > 1e9 {
			return commands.Value{}, badInput("discord.input.whole", "Option", a.Name)
		}
		if (a.Min != 0 || a.Max != 0) && (n < float64(a.Min) || n > float64(a.Max)) {
			return commands.Value{}, badInput("discord.input.range", "Option", a.Name, "Min", a.Min, "Max", a.Max)
		}
		return commands.IntValue(int(n)), nil
	default:
		s, ok := v.(string)
		if !ok {
			return commands.Value{}, badInput("discord.input.text", "Option", a.Name)
		}
		return commands.TextValue(s), nil
	}
}

// requestLocale maps Discord's locale to the engine's ("fr" or "").
func requestLocale(l discordgo.Locale) string {
	if strings.HasPrefix(string(l), "fr") {
		return "fr"
	}
	return ""
}
