package telegram

import (
	"context"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
)

// handleUpdate answers one update.
func (b *Bot) handleUpdate(ctx context.Context, u tgbotapi.Update) {
	switch {
	case u.Message != nil:
		b.handleMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		b.handleCallback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		m := u.MyChatMember
		if s := m.NewChatMember.Status; (s == "kicked" || s == "left") && b.cfg.OnChatGone != nil {
			b.cfg.OnChatGone(m.Chat.ID, "bot status: "+s)
		}
	}
}

// command is a parsed "/name@bot args" message.
type command struct {
	name string // lower case, without the slash
	at   string // the @bot part, "" when absent
	args string
}

// parseCommand reads the bot_command entity Telegram puts at offset 0 (its
// length, in UTF-16 units, includes any @BotName). Unlike
// tgbotapi.Message.Command it keeps the @name so the caller can check it,
// and it cannot panic on an entity longer than the text.
func parseCommand(m *tgbotapi.Message) (command, bool) {
	if len(m.Entities) == 0 {
		return command{}, false
	}
	e := m.Entities[0]
	if e.Type != "bot_command" || e.Offset != 0 || e.Length < 2 {
		return command{}, false
	}
	u := utf16.Encode([]rune(m.Text))
	if e.Length > len(u) {
		return command{}, false
	}
	head := string(utf16.Decode(u[:e.Length]))
	rest := string(utf16.Decode(u[e.Length:]))
	if !strings.HasPrefix(head, "/") {
		return command{}, false
	}
	name, at, _ := strings.Cut(head[1:], "@")
	return command{name: strings.ToLower(name), at: at, args: strings.TrimSpace(rest)}, true
}

// known reports whether name is one of the engine's commands or /start.
func known(name string) bool {
	if name == "start" {
		return true
	}
	for _, s := range commands.Specs() {
		if s.Name == name {
			return true
		}
	}
	return false
}

func locale(u *tgbotapi.User) string {
	if u != nil && strings.HasPrefix(strings.ToLower(u.LanguageCode), "fr") {
		return "fr"
	}
	return ""
}

// handleMessage answers commands everywhere and plain text in private
// chats. In groups, commands for another bot and plain text are ignored;
// replies there quote the command.
func (b *Bot) handleMessage(ctx context.Context, m *tgbotapi.Message) {
	if m.Chat == nil {
		return
	}
	if m.MigrateToChatID != 0 {
		if b.queue.migrate(m.Chat.ID, m.MigrateToChatID) && b.cfg.OnMigrate != nil {
			b.cfg.OnMigrate(m.Chat.ID, m.MigrateToChatID)
		}
		return
	}
	if m.From != nil && m.From.IsBot {
		return
	}
	private := m.Chat.IsPrivate()
	replyTo := 0
	if !private {
		replyTo = m.MessageID
	}
	var r commands.Reply
	if c, ok := parseCommand(m); ok {
		if c.at != "" && !strings.EqualFold(c.at, b.user) {
			return // addressed to another bot
		}
		if !known(c.name) && !private && c.at == "" {
			return // probably another bot's command
		}
		if c.name == "start" {
			c.args = "" // deep-link payloads are not used; the engine answers /start with its welcome/help
		}
		r = b.eng.Handle(ctx, commands.Request{Command: c.name, Args: c.args, Locale: locale(m.From), Caller: b.caller(ctx, m, c.name)})
	} else {
		if !private || strings.TrimSpace(m.Text) == "" {
			return
		}
		if req, ok := commands.ParseText(m.Text); ok {
			// Ask's parse, keeping the caller for commands that need it.
			req.Locale, req.Caller = locale(m.From), b.caller(ctx, m, req.Command)
			r = b.eng.Handle(ctx, req)
		} else {
			r = b.eng.Ask(ctx, m.Text) // the engine's "didn't understand" help
		}
	}
	b.reply(m.Chat.ID, r, replyTo)
}

// handleCallback turns a Previous/Next press into the page's request and
// edits the message in place. Every query is answered.
func (b *Bot) handleCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	req, ok := b.pages.parsePageData(q.Data)
	text := ""
	if !ok {
		text = "This button has expired. Send the command again."
	}
	if _, err := b.api.Request(tgbotapi.NewCallback(q.ID, text)); err != nil {
		b.log.Warn("telegram: answerCallbackQuery failed", "err", redact(err.Error(), b.cfg.Token))
	}
	if !ok || q.Message == nil || q.Message.Chat == nil {
		return
	}
	req.Locale = locale(q.From)
	r := b.eng.Handle(ctx, req)
	parts := b.messages(r, 0)
	p := parts[0]
	if len(parts) > 1 {
		// An edit is one message: keep the first part and the keyboard.
		p.markup = parts[len(parts)-1].markup
	}
	b.queue.add(&job{chatID: q.Message.Chat.ID, edit: q.Message.MessageID, parts: []outMsg{p}, priority: prioReply})
}
