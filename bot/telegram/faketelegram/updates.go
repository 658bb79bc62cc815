package faketelegram

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
)

// update is one pending update, serialized once when pushed.
type update struct {
	id   int
	kind string // "message", "channel_post", …
	raw  json.RawMessage
}

// Entity is a message entity; offsets and lengths are in UTF-16 code units,
// as Telegram counts them.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// Message is the part of a Telegram message the fake sends in updates.
type Message struct {
	MessageID       int      `json:"message_id"`
	From            *User    `json:"from,omitempty"`
	SenderChat      *Chat    `json:"sender_chat,omitempty"`
	Chat            Chat     `json:"chat"`
	Date            int      `json:"date"`
	Text            string   `json:"text,omitempty"`
	Entities        []Entity `json:"entities,omitempty"`
	MigrateToChatID int64    `json:"migrate_to_chat_id,omitempty"`
	ReplyMarkup     any      `json:"reply_markup,omitempty"`
}

// CommandEntities returns the entities Telegram attaches to text: a
// bot_command entity for every "/command" or "/command@BotName" that starts
// the text or follows whitespace (offset 0 and length including the
// @BotName for a leading command, as Telegram sends them).
func CommandEntities(text string) []Entity {
	var out []Entity
	u := utf16.Encode([]rune(text))
	for i := 0; i < len(u); i++ {
		if u[i] != '/' || (i > 0 && !unicode.IsSpace(rune(u[i-1]))) {
			continue
		}
		j := i + 1
		for j < len(u) && isCommandUnit(u[j]) {
			j++
		}
		if j == i+1 {
			continue
		}
		out = append(out, Entity{Type: "bot_command", Offset: i, Length: j - i})
		i = j
	}
	return out
}

func isCommandUnit(c uint16) bool {
	return c == '_' || c == '@' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// PrivateChat is the private chat with a user.
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, UserName: u.UserName}
}

// GroupChat is a basic group (negative ID).
func GroupChat(id int64, title string) Chat { return Chat{ID: id, Type: "group", Title: title} }

// SupergroupChat is a supergroup (ID usually -100…).
func SupergroupChat(id int64, title string) Chat {
	return Chat{ID: id, Type: "supergroup", Title: title}
}

// PushRaw queues an update given as the JSON object without update_id (for
// example `{"message":{…}}`); it returns the update_id assigned.
func (s *Server) PushRaw(body map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	id := s.nextUpdate
	kind := ""
	for k := range body {
		kind = k
	}
	body["update_id"] = id
	raw, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	s.updates = append(s.updates, update{id: id, kind: kind, raw: raw})
	s.notifyLocked()
	return id
}

// PushText queues a text message from a user in a chat, with the
// bot_command entities Telegram would attach. It returns the message.
func (s *Server) PushText(chat Chat, from User, text string) Message {
	s.mu.Lock()
	s.chats[chat.ID] = chat
	s.nextMsg++
	m := Message{MessageID: s.nextMsg, From: &from, Chat: chat, Date: now(), Text: text, Entities: CommandEntities(text)}
	s.storeLocked(chat.ID, &storedMessage{Message: m})
	s.mu.Unlock()
	s.PushRaw(map[string]any{"message": m})
	return m
}

// ChannelChat is a channel (ID usually -100…).
func ChannelChat(id int64, title string) Chat { return Chat{ID: id, Type: "channel", Title: title} }

// PushChannelPost queues a post in a channel as Telegram delivers it to a
// bot that administers the channel: a channel_post update with no from,
// sender_chat the channel itself, and bot_command entities. Only the
// channel's administrators can post, so the text stands for one of them.
func (s *Server) PushChannelPost(chat Chat, text string) Message {
	s.mu.Lock()
	s.chats[chat.ID] = chat
	s.nextMsg++
	sender := chat
	m := Message{MessageID: s.nextMsg, SenderChat: &sender, Chat: chat, Date: now(), Text: text, Entities: CommandEntities(text)}
	s.storeLocked(chat.ID, &storedMessage{Message: m})
	s.mu.Unlock()
	s.PushRaw(map[string]any{"channel_post": m})
	return m
}

// SetChat registers a chat, so that sends to its ID behave as for its type
// (a channel refuses a bot that may not post there).
func (s *Server) SetChat(chat Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[chat.ID] = chat
}

// PushCallback queues a callback query: user from pressed a button with
// data under the bot's message messageID in chat. It returns the query ID.
func (s *Server) PushCallback(chat Chat, from User, messageID int, data string) string {
	s.mu.Lock()
	var msg Message
	if sm := s.messages[chat.ID][messageID]; sm != nil {
		msg = sm.Message
	} else {
		msg = Message{MessageID: messageID, Chat: chat, Date: now(), From: &s.me}
	}
	s.nextUpdate++ // ids only need to be unique
	qid := "cbq" + strconv.Itoa(s.nextUpdate)
	s.mu.Unlock()
	s.PushRaw(map[string]any{"callback_query": map[string]any{
		"id": qid, "from": from, "message": msg, "chat_instance": "ci" + strconv.FormatInt(chat.ID, 10), "data": data,
	}})
	return qid
}

// PushMigration queues the service message Telegram sends in a basic group
// upgraded to a supergroup, and makes later sends to the old ID fail with
// migrate_to_chat_id.
func (s *Server) PushMigration(oldID, newID int64) {
	s.MigrateChat(oldID, newID)
	s.mu.Lock()
	s.nextMsg++
	m := Message{MessageID: s.nextMsg, Chat: GroupChat(oldID, "group"), Date: now(), MigrateToChatID: newID}
	s.mu.Unlock()
	s.PushRaw(map[string]any{"message": m})
}

// Pending reports how many pushed updates the bot has not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Polls reports how many getUpdates calls the server has answered.
func (s *Server) Polls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

// getUpdates confirms updates below offset, then returns pending ones,
// blocking up to timeout seconds while there are none.
func (s *Server) getUpdates(r *http.Request) (any, *apiError) {
	offset, _ := formInt64(r, "offset")
	limit, _ := formInt64(r, "limit")
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := formInt64(r, "timeout")
	s.mu.Lock()
	if s.hook.url != "" {
		s.mu.Unlock()
		return nil, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if e := s.faultLocked(Call{Method: "getUpdates"}); e != nil { // Script("getUpdates", 0, …)
		s.polling++
		s.notifyLocked()
		s.mu.Unlock()
		return nil, e
	}
	s.polling++
	s.notifyLocked()
	s.mu.Unlock()
	if v := r.PostForm.Get("allowed_updates"); v != "" && v != "null" {
		var allowed []string
		if err := json.Unmarshal([]byte(v), &allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates")
		}
		s.mu.Lock()
		s.allowed = allowed // remembered for later calls, as Telegram does
		s.mu.Unlock()
	}
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		s.mu.Lock()
		if s.revoked { // ends a long poll in progress too
			s.mu.Unlock()
			return nil, &apiError{code: 401, desc: "Unauthorized"}
		}
		keep := s.updates[:0]
		for _, u := range s.updates {
			// Telegram never creates updates of kinds the bot did not
			// ask for (allowed_updates): drop them.
			if int64(u.id) >= offset && (len(s.allowed) == 0 || slices.Contains(s.allowed, u.kind)) {
				keep = append(keep, u)
			}
		}
		s.updates = keep
		if len(s.updates) > 0 || timeout <= 0 {
			out := []json.RawMessage{}
			for _, u := range s.updates {
				if len(out) == int(limit) {
					break
				}
				out = append(out, u.raw)
			}
			s.polls++
			s.notifyLocked()
			s.mu.Unlock()
			return out, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			timeout = 0
		case <-r.Context().Done():
			return []json.RawMessage{}, nil
		}
	}
}
