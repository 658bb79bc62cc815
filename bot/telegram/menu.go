package telegram

import (
	"context"
	"errors"
	"fmt"
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
		if seen[s.Name] || s.Hidden {
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
// (default scope, any language) and in French (language_code fr); for chat
// administrators (scope all_chat_administrators) the same plus the
// managers' commands (subscribe, subscriptions, unsubscribe) and
// Config.ModeratorCommands; and for each of Config.Moderators, in their
// private chat with the bot (scope chat, chat_id = the user's ID), all of
// those plus the engine's moderator commands (announce, draw for "/draw
// add …"). Telegram has no scope for "this user in every group", so in
// groups moderators see the administrators' menu (or the default one) and
// type moderator commands themselves. The menu is only a hint: the engine
// checks the caller. setMyCommands returns true, so it goes through
// Request, not Send. A moderator who never started a chat with the bot
// makes its call fail ("chat not found"); the other menus are still set.
func (b *Bot) SetMenu(ctx context.Context) error {
	var public, managers, moderators []commands.Spec
	for _, s := range commands.Specs() {
		switch s.Access {
		case commands.Everyone:
			public = append(public, s)
		case commands.Managers:
			managers = append(managers, s)
		case commands.Moderators:
			moderators = append(moderators, s)
		}
	}
	managers = append(managers, b.cfg.ModeratorCommands...)
	type menuCall struct {
		scope tgbotapi.BotCommandScope
		specs []commands.Spec
	}
	// Private chats get the default menu; groups the same without a
	// person's own commands (alert, alerts), which answer there only to
	// send the person to a private chat.
	calls := []menuCall{{tgbotapi.NewBotCommandScopeDefault(), public},
		{tgbotapi.NewBotCommandScopeAllGroupChats(), inGroups(public)}}
	admin := append(append([]commands.Spec(nil), public...), managers...)
	if len(managers) > 0 {
		// Administrators' menus show only in groups.
		calls = append(calls, menuCall{tgbotapi.NewBotCommandScopeAllChatAdministrators(), inGroups(admin)})
	}
	mod := append(append([]commands.Spec(nil), admin...), moderators...)
	for _, id := range b.cfg.Moderators {
		calls = append(calls, menuCall{tgbotapi.NewBotCommandScopeChat(id), mod})
	}
	api := b.apiWith(ctx)
	var errs []error
	for _, c := range calls {
		for _, lang := range []string{"", "fr"} {
			cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(c.scope, lang, menu(c.specs, lang == "fr")...)
			if _, err := api.Request(cfg); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				errs = append(errs, fmt.Errorf("scope %s %d %q: %w", c.scope.Type, c.scope.ChatID, lang, redactErr(err, b.cfg.Token)))
			}
		}
	}
	return errors.Join(errs...)
}

// inGroups is a menu's commands without the personal ones.
func inGroups(specs []commands.Spec) []commands.Spec {
	var out []commands.Spec
	for _, s := range specs {
		if !s.Personal {
			out = append(out, s)
		}
	}
	return out
}
