package telegram

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/domain"
)

// access returns who may use a command (Everyone for unknown names).
func access(name string) commands.Access {
	for _, s := range commands.Specs() {
		if s.Name == name {
			return s.Access
		}
	}
	return commands.Everyone
}

// caller describes who sent m. CanManage is only looked up (getChatMember,
// cached briefly) for commands that need it: in a private chat the user
// manages it; in a group, its creator and administrators do.
func (b *Bot) caller(ctx context.Context, m *tgbotapi.Message, cmd string) commands.Caller {
	c := commands.Caller{Platform: domain.Telegram, Destination: strconv.FormatInt(m.Chat.ID, 10), Private: m.Chat.IsPrivate()}
	if m.From == nil {
		return c
	}
	c.UserID = strconv.FormatInt(m.From.ID, 10)
	c.Moderator = slices.Contains(b.cfg.Moderators, m.From.ID)
	if access(cmd) >= commands.Managers {
		c.CanManage = c.Private || b.admins.isAdmin(b, m.Chat.ID, m.From.ID)
	}
	return c
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
