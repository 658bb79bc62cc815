package telegram

import (
	"context"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// Callback data of action buttons (reply.Reply.Actions, e.g. a
// moderator's Post and Cancel):
//
//	act:<command>:<args>   e.g. "act:announce:post 437"
//	ak:<key>               when that would exceed 64 bytes; the command and
//	                       args wait in the bounded in-memory table the
//	                       pagers use, so such a button expires when the
//	                       process restarts or the table fills
//
// A press runs Request{Command, Args} as whoever pressed (the Caller is
// built from the press), so the engine's own checks decide: a button is no
// more powerful than typing the command in that chat.
const (
	actionPrefix    = "act:"
	actionKeyPrefix = "ak:"
)

// Keyboard layout: actions three to a row, at most maxActions of them.
const (
	actionsPerRow = 3
	maxActions    = 24
	maxLabel      = 64 // runes; Telegram accepts more, phones show less
)

// actionData encodes the button for a.
func (k *pageKeys) actionData(a reply.Action) string {
	d := actionPrefix + a.Command + ":" + a.Args
	if len(d) <= MaxCallbackData && !strings.Contains(a.Command, ":") {
		return d
	}
	return actionKeyPrefix + k.put(reply.Pager{Command: a.Command, Args: a.Args})
}

// parseActionData decodes an action button's data; ok is false for data
// that is not an action or has expired.
func (k *pageKeys) parseActionData(data string) (p press, ok bool) {
	switch {
	case strings.HasPrefix(data, actionPrefix):
		cmd, args, ok := strings.Cut(data[len(actionPrefix):], ":")
		if !ok || cmd == "" {
			return press{}, false
		}
		return press{command: cmd, args: args}, true
	case strings.HasPrefix(data, actionKeyPrefix):
		saved, ok := k.get(data[len(actionKeyPrefix):])
		if !ok || saved.Command == "" {
			return press{}, false
		}
		return press{command: saved.Command, args: saved.Args}, true
	}
	return press{}, false
}

// isActionData reports whether data belongs to an action button, expired
// or not.
func isActionData(data string) bool {
	return strings.HasPrefix(data, actionPrefix) || strings.HasPrefix(data, actionKeyPrefix)
}

// keyboard returns a reply's inline keyboard: the Previous/Next row of a
// pager, then its actions. Nil when there is neither.
func (k *pageKeys) keyboard(r reply.Reply, w i18n.Printer) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	if p := k.pagerRow(r.Pager, w); len(p) > 0 {
		rows = append(rows, p)
	}
	var row []tgbotapi.InlineKeyboardButton
	n := 0
	for _, a := range r.Actions {
		if strings.TrimSpace(a.Command) == "" || n == maxActions {
			continue
		}
		n++
		label := strings.Join(strings.Fields(a.Label), " ")
		if label == "" {
			label = a.Command
		}
		if utf8.RuneCountInString(label) > maxLabel {
			label = string([]rune(label)[:maxLabel-1]) + "…"
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, k.actionData(a)))
		if len(row) == actionsPerRow {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}

// maxAnswer is Telegram's limit on an answerCallbackQuery text.
const maxAnswer = 200

// answerCallback answers a callback query: a toast, or an alert the user
// must dismiss. Failures are logged (the button stops spinning by itself).
func (b *Bot) answerCallback(id, text string, alert bool) {
	if utf8.RuneCountInString(text) > maxAnswer {
		text = string([]rune(text)[:maxAnswer-1]) + "…"
	}
	c := tgbotapi.NewCallback(id, text)
	c.ShowAlert = alert && text != ""
	if _, err := b.api.Request(c); err != nil {
		b.log.Warn("telegram: answerCallbackQuery failed", "err", redact(err.Error(), b.cfg.Token))
	}
}

// handleAction runs an action button's request as the user who pressed it.
// A result the engine refuses or fails (StatusInvalid, StatusInternal: a
// non-moderator pressing Post, an unknown draw) is shown to the presser as
// an alert and the message keeps its buttons; any other result replaces the
// message in place, without the pressed keyboard (the result's own
// buttons, if any, replace it). The query is always answered.
func (b *Bot) handleAction(ctx context.Context, q *tgbotapi.CallbackQuery) {
	p, ok := b.pages.parseActionData(q.Data)
	if !ok || q.Message == nil || q.Message.Chat == nil {
		b.answerCallback(q.ID, b.eng.Words(locale(q.From)).T("button.expired"), true)
		return
	}
	caller := b.userCaller(q.Message.Chat, q.From, b.access(p.command, p.args))
	r := b.eng.Command(ctx, p.command, p.args, 0, caller)
	if r.Status == reply.StatusInvalid || r.Status == reply.StatusInternal {
		alert := r.Title
		if r.Summary != "" {
			alert += ": " + r.Summary
		}
		b.answerCallback(q.ID, strings.TrimSpace(alert), true)
		return
	}
	b.answerCallback(q.ID, r.Title, false)
	b.editWith(ctx, q.Message.Chat.ID, q.Message.MessageID, r)
}

// editWith queues an edit of a message to show r: its first part and its
// keyboard (nil removes the old one).
func (b *Bot) editWith(ctx context.Context, chatID int64, messageID int, r reply.Reply) {
	if r.Image != nil {
		// A text message cannot become a photo: the picture answers the
		// press as a new message.
		b.reply(ctx, chatID, r, messageID)
		return
	}
	parts := b.messages(r, 0)
	p := parts[0]
	if len(parts) > 1 {
		// An edit is one message: keep the first part and the keyboard.
		p.markup = parts[len(parts)-1].markup
	}
	j := &job{chatID: chatID, edit: messageID, parts: []outMsg{p}, priority: prioReply}
	if t := ticketOf(ctx); t != nil && !t.track(j) {
		return
	}
	b.queue.add(j)
}
