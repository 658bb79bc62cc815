package telegram

import (
	"errors"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
)

// menu builds a setMyCommands list from specs, in French when fr.
// Descriptions are cut to Telegram's 256 characters.
func menu(specs []commands.Spec, fr bool) []tgbotapi.BotCommand {
	var out []tgbotapi.BotCommand
	for _, s := range specs {
		d := s.Description
		if fr && s.DescriptionFR != "" {
			d = s.DescriptionFR
		}
		d = strings.TrimSpace(d)
		if d == "" {
			d = s.Name
		}
		if utf8.RuneCountInString(d) > 256 {
			d = string([]rune(d)[:255]) + "…"
		}
		out = append(out, tgbotapi.BotCommand{Command: strings.ToLower(s.Name), Description: d})
	}
	return out
}

// SetMenu sets the command menu: the engine's commands in English (default
// scope, any language) and in French (language_code fr); and, when
// Config.ModeratorCommands is set, the same lists plus those commands for
// chat administrators (scope all_chat_administrators). The menu is only a
// hint: moderator commands must still check the caller. setMyCommands
// returns true, so it goes through Request, not Send.
func (b *Bot) SetMenu() error {
	public := commands.Specs()
	type menuCall struct {
		scope tgbotapi.BotCommandScope
		lang  string
		specs []commands.Spec
	}
	calls := []menuCall{
		{tgbotapi.NewBotCommandScopeDefault(), "", public},
		{tgbotapi.NewBotCommandScopeDefault(), "fr", public},
	}
	if len(b.cfg.ModeratorCommands) > 0 {
		admin := append(append([]commands.Spec(nil), public...), b.cfg.ModeratorCommands...)
		calls = append(calls,
			menuCall{tgbotapi.NewBotCommandScopeAllChatAdministrators(), "", admin},
			menuCall{tgbotapi.NewBotCommandScopeAllChatAdministrators(), "fr", admin})
	}
	var errs []error
	for _, c := range calls {
		cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(c.scope, c.lang, menu(c.specs, c.lang == "fr")...)
		if _, err := b.api.Request(cfg); err != nil {
			errs = append(errs, redactErr(err, b.cfg.Token))
		}
	}
	return errors.Join(errs...)
}
