package telegram

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
)

// access returns who may use the command typed as name and args
// (Everyone for unknown names).
func (b *Bot) access(name, args string) commands.Access {
	sub, _, _ := strings.Cut(args, " ")
	s, _ := b.eng.Spec(name, sub)
	return s.Access
}

// caller describes who sent m. CanManage is only looked up (getChatMember,
// cached briefly) for commands that need it (access commands.Managers): in
// a private chat the user manages it; in a group, its creator and
// administrators do. A message sent as the chat itself (sender_chat is the
// chat: a channel post, or an anonymous group administrator) can only come
// from an administrator, so it may manage the chat; no user is known then.
// A channel's Caller says nothing of whether the bot can post there: see
// botCanPost.
func (b *Bot) caller(m *tgbotapi.Message, access commands.Access) commands.Caller {
	if asChat(m) {
		return commands.Caller{Platform: domain.Telegram, Destination: strconv.FormatInt(m.Chat.ID, 10),
			CanManage: access == commands.Managers}
	}
	return b.userCaller(m.Chat, m.From, access)
}

// asChat reports whether m was sent on behalf of its own (non-private)
// chat: a channel post, or an anonymous group administrator's message.
func asChat(m *tgbotapi.Message) bool {
	return m.SenderChat != nil && m.Chat != nil && m.SenderChat.ID == m.Chat.ID && !m.Chat.IsPrivate()
}

// userCaller describes user from acting in chat: a message's sender, or
// whoever pressed a button.
func (b *Bot) userCaller(chat *tgbotapi.Chat, from *tgbotapi.User, access commands.Access) commands.Caller {
	c := commands.Caller{Platform: domain.Telegram, Destination: strconv.FormatInt(chat.ID, 10), Private: chat.IsPrivate(), CanManage: chat.IsPrivate()}
	if from == nil {
		return c
	}
	c.UserID = strconv.FormatInt(from.ID, 10)
	c.Moderator = b.isModerator(from.ID)
	c.Locale = locale(from)
	if access == commands.Managers && !c.Private {
		c.CanManage = b.admins.isAdmin(b, chat.ID, from.ID)
	}
	return c
}

// isModerator reports whether a Telegram user is one of Config.Moderators.
func (b *Bot) isModerator(userID int64) bool { return slices.Contains(b.cfg.Moderators, userID) }

// botCanPost reports whether the bot may post in a channel: it is the
// creator, or an administrator with can_post_messages. It is asked afresh
// each time (subscribing is rare, and an administrator who just granted the
// right should not have to wait for a cache).
func (b *Bot) botCanPost(chatID int64) (bool, error) {
	cm, err := b.api.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: b.self().ID}})
	if err != nil {
		return false, redactErr(err, b.cfg.Token)
	}
	return cm.IsCreator() || (cm.IsAdministrator() && cm.CanPostMessages), nil
}

// adminCache remembers getChatMember answers for a minute: each call counts
// against flood limits.
type adminCache struct {
	mu sync.Mutex
	m  map[[2]int64]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

const adminTTL = time.Minute

func (a *adminCache) isAdmin(b *Bot, chatID, userID int64) bool {
	key := [2]int64{chatID, userID}
	a.mu.Lock()
	if e, ok := a.m[key]; ok && time.Since(e.at) < adminTTL {
		a.mu.Unlock()
		return e.admin
	}
	a.mu.Unlock()
	cm, err := b.api.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID}})
	if err != nil {
		b.log.Warn("telegram: getChatMember failed", "chat", chatID, "err", redact(err.Error(), b.cfg.Token))
		return false
	}
	admin := cm.IsCreator() || cm.IsAdministrator()
	a.mu.Lock()
	if a.m == nil || len(a.m) > 10000 {
		a.m = map[[2]int64]adminEntry{}
	}
	a.m[key] = adminEntry{admin, time.Now()}
	a.mu.Unlock()
	return admin
}
