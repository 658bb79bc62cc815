package telegram

import (
	"errors"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
)

// menu builds a setMyCommands list from specs, in French when fr: one entry
// per command name (a Sub such as "draw add" is typed "/draw add …").
// Descriptions are cut to Telegram's 256 characters.
func menu(specs []commands.Spec, fr bool) []tgbotapi.BotCommand {
	var out []tgbotapi.BotCommand
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.Name] {
			continue
		}
		seen[s.Name] = true
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

// SetMenu sets the command menu: the commands for everyone in English
// (default scope, any language) and in French (language_code fr); and for
// chat administrators (scope all_chat_administrators) the same plus the
// managers' commands (subscribe, …) and Config.ModeratorCommands. The menu
// is only a hint: the engine checks the caller. setMyCommands returns true,
// so it goes through Request, not Send.
func (b *Bot) SetMenu() error {
	var public, managers []commands.Spec
	for _, s := range commands.Specs() {
		switch s.Access {
		case commands.Everyone:
			public = append(public, s)
		case commands.Managers:
			managers = append(managers, s)
		}
	}
	managers = append(managers, b.cfg.ModeratorCommands...)
	type menuCall struct {
		scope tgbotapi.BotCommandScope
		lang  string
		specs []commands.Spec
	}
	calls := []menuCall{
		{tgbotapi.NewBotCommandScopeDefault(), "", public},
		{tgbotapi.NewBotCommandScopeDefault(), "fr", public},
	}
	if len(managers) > 0 {
		admin := append(append([]commands.Spec(nil), public...), managers...)
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
