package telegram

import (
	"context"
	"errors"
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// handleUpdate answers one update.
func (b *Bot) handleUpdate(ctx context.Context, u tgbotapi.Update) {
	switch {
	case u.Message != nil:
		b.handleMessage(ctx, u.Message)
	case u.ChannelPost != nil:
		b.handleChannelPost(ctx, u.ChannelPost)
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

func locale(u *tgbotapi.User) string {
	if u != nil && strings.HasPrefix(strings.ToLower(u.LanguageCode), "fr") {
		return "fr"
	}
	return ""
}

// handleMessage answers commands everywhere and plain text in private
// chats. In groups, commands for another bot and plain text are ignored;
// replies there quote the command, except a moderator's private answers
// (see replyPrivately).
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
	if m.From != nil && m.From.IsBot && !asChat(m) {
		return // other bots; an anonymous administrator is sent "by" a bot
	}
	private := m.Chat.IsPrivate()
	replyTo := 0
	if !private {
		replyTo = m.MessageID
	}
	var (
		r      reply.Reply
		caller commands.Caller
	)
	if c, ok := parseCommand(m); ok {
		if c.at != "" && !strings.EqualFold(c.at, b.Username()) {
			return // addressed to another bot
		}
		sub, _, _ := strings.Cut(c.args, " ")
		spec, known := b.eng.Spec(c.name, sub)
		if name, rest, ok := strings.Cut(c.name, "_"); !known && ok {
			// A tappable command from a reply: /cutoff_healthcare.
			if s, ok := b.eng.Spec(name, strings.SplitN(rest, "_", 2)[0]); ok {
				spec, known = s, true
				c.name, c.args = name, strings.TrimSpace(strings.ReplaceAll(rest, "_", " ")+" "+c.args)
			}
		}
		if !known && !private && c.at == "" {
			return // probably another bot's command
		}
		if c.name == "start" {
			c.args = "" // deep-link payloads are not used; the engine answers /start with its welcome/help
		}
		if spec.Access == commands.Moderators && ticketOf(ctx).late() {
			b.refuseLate(ctx, m, replyTo)
			return
		}
		caller = b.caller(m, spec.Access)
		r = b.eng.Command(ctx, c.name, c.args, 0, caller)
		if !private && caller.Moderator && r.Private && spec.Access == commands.Moderators && m.From != nil {
			b.replyPrivately(ctx, m, r)
			return
		}
	} else {
		text, forUs := b.addressed(m)
		if !private && !forUs || strings.TrimSpace(text) == "" {
			return
		}
		if ticketOf(ctx).late() && b.moderatorLine(text) {
			b.refuseLate(ctx, m, replyTo)
			return
		}
		r = b.eng.Ask(ctx, text, b.caller(m, commands.Everyone))
	}
	b.reply(ctx, m.Chat.ID, r, replyTo)
}

// moderatorLine reports whether text, typed without a slash, names a
// moderator command ("announce post 437").
func (b *Bot) moderatorLine(text string) bool {
	ws := strings.Fields(strings.ToLower(text))
	if len(ws) == 0 {
		return false
	}
	sub := ""
	if len(ws) > 1 {
		sub = ws[1]
	}
	spec, ok := b.eng.Spec(strings.TrimPrefix(ws[0], "/"), sub)
	return ok && spec.Access == commands.Moderators
}

// refuseLate answers a moderator command found late (after a restart, say)
// instead of running it: it would change what every subscriber sees long
// after the moderator decided.
func (b *Bot) refuseLate(ctx context.Context, m *tgbotapi.Message, replyTo int) {
	t := ticketOf(ctx)
	w := b.eng.Words(locale(m.From))
	b.log.Info("telegram: moderator command too old to run; refused", "chat", m.Chat.ID, "age", formatAge(t.age))
	t.mu.Lock()
	t.noted = true
	t.mu.Unlock()
	b.reply(ctx, m.Chat.ID, reply.Reply{Status: reply.StatusInvalid, Lang: string(w.Lang()), Title: w.T("telegram.too_old", "Age", formatAge(t.age)),
		Summary: w.T("telegram.too_old.body")}, replyTo)
}

// replyPrivately sends a moderator's private answer (an /announce preview
// with its Post and Cancel buttons, a /draw add confirmation) given in a
// group to the moderator's private chat instead: Telegram has no messages
// only one member of a group sees. Only when that fails (a 403: the
// moderator never started a chat with the bot) does the group get a short
// note, quoting the command.
func (b *Bot) replyPrivately(ctx context.Context, m *tgbotapi.Message, r reply.Reply) {
	_, err := b.send(ctx, m.From.ID, r, 0, prioReply)
	if err == nil {
		return
	}
	b.log.Info("telegram: cannot answer a moderator privately", "user", m.From.ID, "err", err)
	w := b.eng.Words(r.Lang)
	note := reply.Reply{Status: reply.StatusInvalid, Command: r.Command, Lang: r.Lang, Title: w.T("telegram.start_private"),
		Summary: w.T("telegram.start_private.body"),
		Links:   []reply.Link{{Label: w.T("telegram.open_chat"), URL: "https://t.me/" + b.Username()}}}
	if !errors.Is(err, errBlocked) {
		note.Title = w.T("telegram.private_failed")
		note.Summary = w.T("telegram.private_failed.body")
		note.Links = nil
	}
	b.reply(ctx, m.Chat.ID, note, m.MessageID)
}

// handleChannelPost answers the subscription commands (commands.Managers:
// subscribe, subscriptions, unsubscribe) posted in a channel. Only a
// channel's administrators can post there, so the poster may manage it
// (caller). Before subscribing, the bot checks it may post in the channel
// (an administrator with can_post_messages): if not, nothing changes, and
// the Caller is refused with a clear rep, which Telegram will usually not
// let the bot post, so the refusal is also logged. Other commands and
// plain posts are ignored: a channel is not a place for questions.
func (b *Bot) handleChannelPost(ctx context.Context, m *tgbotapi.Message) {
	if m.Chat == nil {
		return
	}
	c, ok := parseCommand(m)
	if !ok || (c.at != "" && !strings.EqualFold(c.at, b.Username())) || b.access(c.name, c.args) != commands.Managers {
		return
	}
	caller := b.caller(m, commands.Managers)
	if c.name == "subscribe" {
		canPost, err := b.botCanPost(m.Chat.ID)
		if !canPost {
			caller.CanManage = false
			w := b.eng.Words("")
			why := w.T("telegram.channel_refused")
			if err != nil {
				why = w.T("telegram.channel_unchecked")
			}
			b.log.Info("telegram: channel subscription refused", "chat", m.Chat.ID, "reason", why, "err", err)
			b.reply(ctx, m.Chat.ID, reply.Reply{Status: reply.StatusInvalid, Command: c.name, Private: true, Title: w.T("error.forbidden"), Summary: why}, m.MessageID)
			return
		}
	}
	r := b.eng.Command(ctx, c.name, c.args, 0, caller)
	b.reply(ctx, m.Chat.ID, r, m.MessageID)
}

// handleCallback answers a button press: an action (handleAction) or a
// Previous/Next page turn, which edits the message in place. Every query
// is answered.
func (b *Bot) handleCallback(ctx context.Context, q *tgbotapi.CallbackQuery) {
	if t := ticketOf(ctx); t.late() {
		// Telegram no longer takes an answer to it, and the message may
		// have moved on: a late press does nothing.
		b.log.Info("telegram: button press too old to act on; ignored", "data", q.Data, "age", formatAge(t.age))
		return
	}
	if isActionData(q.Data) {
		b.handleAction(ctx, q)
		return
	}
	p, ok := b.pages.parsePageData(q.Data)
	text := ""
	if !ok {
		text = b.eng.Words(locale(q.From)).T("button.expired")
	}
	b.answerCallback(q.ID, text, false)
	if !ok || q.Message == nil || q.Message.Chat == nil {
		return
	}
	b.editWith(ctx, q.Message.Chat.ID, q.Message.MessageID, b.eng.Command(ctx, p.command, p.args, p.page, b.userCaller(q.Message.Chat, q.From, commands.Everyone)))
}

// addressed returns a group message's text without the bot's @mention, and
// whether it is for the bot: it mentions the bot, or replies to one of the
// bot's messages. Privacy mode delivers exactly those to a bot in a group.
func (b *Bot) addressed(m *tgbotapi.Message) (string, bool) {
	text := m.Text
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == b.self().ID {
		return text, true
	}
	mention := "@" + b.Username()
	for _, e := range m.Entities {
		if e.Type != "mention" {
			continue
		}
		u := utf16.Encode([]rune(text))
		if e.Offset < 0 || e.Offset+e.Length > len(u) {
			continue
		}
		if strings.EqualFold(string(utf16.Decode(u[e.Offset:e.Offset+e.Length])), mention) {
			rest := append(append([]uint16{}, u[:e.Offset]...), u[e.Offset+e.Length:]...)
			return strings.TrimSpace(string(utf16.Decode(rest))), true
		}
	}
	return text, false
}
