package discord

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
)

// inputError is a problem with what the user sent, shown to them as is.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// buildRequest turns a slash command's options into an engine Request: the
// values joined by spaces in Spec order (absent optional values skipped),
// after the subcommand's name for a Spec with Sub ("add 438 2026-08-25 …").
// It rejects unknown commands, subcommands and options, values of the wrong
// type, and a role option naming @everyone (whose ID is the guild's).
func (b *Bot) buildRequest(name string, opts []*discordgo.ApplicationCommandInteractionDataOption, locale discordgo.Locale, guildID string) (commands.Request, error) {
	spec, opts, ok := b.resolveSpec(name, opts)
	if !ok {
		return commands.Request{}, &inputError{fmt.Sprintf("I don't know the command /%s. Try /help for the list.", oneLine(name))}
	}
	values := map[string]string{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		arg, ok := argByName(spec, o.Name)
		if !ok {
			return commands.Request{}, &inputError{fmt.Sprintf("%s has no option %q. Discord may still show an old version of the command; try again in a minute.", slashName(spec), oneLine(o.Name))}
		}
		v, err := optionValue(arg, o.Value, guildID)
		if err != nil {
			return commands.Request{}, err
		}
		values[arg.Name] = v
	}
	var args []string
	if spec.Sub != "" {
		args = append(args, spec.Sub)
	}
	for _, a := range spec.Args {
		v, ok := values[a.Name]
		if !ok || v == "" {
			if a.Required {
				return commands.Request{}, &inputError{fmt.Sprintf("%s needs a value for %s.", slashName(spec), a.Name)}
			}
			continue
		}
		args = append(args, v)
	}
	return commands.Request{Command: spec.Name, Args: strings.Join(args, " "), Locale: requestLocale(locale)}, nil
}

// specKey indexes specs: "draw add" for a subcommand, else the name.
func specKey(s commands.Spec) string {
	if s.Sub != "" {
		return s.Name + " " + s.Sub
	}
	return s.Name
}

func slashName(s commands.Spec) string { return "/" + specKey(s) }

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

func argByName(s commands.Spec, name string) (commands.Arg, bool) {
	for _, a := range s.Args {
		if a.Name == name {
			return a, true
		}
	}
	return commands.Arg{}, false
}

// optionValue renders one option value as text, checking it fits the arg's
// type. discordgo decodes JSON numbers as float64; its typed accessors panic
// on a mismatch, so this never calls them.
func optionValue(a commands.Arg, v any, guildID string) (string, error) {
	switch a.Type {
	case commands.OptRole:
		id, _ := v.(string)
		if !isSnowflake(id) {
			return "", &inputError{fmt.Sprintf("%s must be a role of this server.", a.Name)}
		}
		if id == guildID {
			return "", &inputError{"The bot never pings @everyone. Pick a role that people join to get draw alerts; nothing was changed."}
		}
		return "<@&" + id + ">", nil
	case commands.OptInteger:
		var n float64
		switch x := v.(type) {
		case float64:
			n = x
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return "", &inputError{fmt.Sprintf("%s must be a whole number.", a.Name)}
			}
			n = f
		default:
			return "", &inputError{fmt.Sprintf("%s must be a whole number.", a.Name)}
		}
		if n != math.Trunc(n) || math.IsInf(n, 0) || math.IsNaN(n) || math.Abs(n) > 1e9 {
			return "", &inputError{fmt.Sprintf("%s must be a whole number.", a.Name)}
		}
		if (a.Min != 0 || a.Max != 0) && (n < float64(a.Min) || n > float64(a.Max)) {
			return "", &inputError{fmt.Sprintf("%s must be between %d and %d.", a.Name, a.Min, a.Max)}
		}
		return strconv.FormatInt(int64(n), 10), nil
	default:
		s, ok := v.(string)
		if !ok {
			return "", &inputError{fmt.Sprintf("%s must be text.", a.Name)}
		}
		return oneLine(s), nil
	}
}

// requestLocale maps Discord's locale to the engine's ("fr" or "").
func requestLocale(l discordgo.Locale) string {
	if strings.HasPrefix(string(l), "fr") {
		return "fr"
	}
	return ""
}
