package faketelegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"
)

// MaxText is Telegram's limit on a message's text after entity parsing.
const MaxText = 4096

type storedMessage struct {
	Message
	html   string
	markup string
}

// Call is one recorded API call.
type Call struct {
	Method         string
	ChatID         int64
	MessageID      int    // the message sent or edited
	Text           string // as sent (HTML source when ParseMode is HTML)
	Plain          string // the text after entity parsing, as users see it
	ParseMode      string
	ReplyMarkup    string // raw JSON, "" when none
	ReplyTo        int
	DisablePreview bool
	CallbackID     string // answerCallbackQuery
	Code           int    // error code for rejected calls, or answered after delivering (Fault.Delivered); 0 when it succeeded
	Description    string // error description for rejected calls
	Form           url.Values
	Photo          []byte // sendPhoto: the picture, uploaded or sent again by FileID
	FileID         string // sendPhoto: the file_id it named instead of uploading
	At             time.Time
}

// Menu is one recorded setMyCommands call.
type Menu struct {
	Commands     []BotCommand
	Scope        string // scope type, "default" when absent
	ScopeChatID  int64
	LanguageCode string
}

// BotCommand is a menu entry.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

func (s *Server) storeLocked(chatID int64, m *storedMessage) {
	if s.messages[chatID] == nil {
		s.messages[chatID] = map[int]*storedMessage{}
	}
	s.messages[chatID][m.MessageID] = m
}

func (s *Server) chatLocked(id int64) Chat {
	if c, ok := s.chats[id]; ok {
		return c
	}
	switch {
	case id > 0:
		return Chat{ID: id, Type: "private"}
	case id <= -1000000000000:
		return Chat{ID: id, Type: "supergroup"}
	default:
		return Chat{ID: id, Type: "group"}
	}
}

func newCall(method string, r *http.Request) Call {
	c := Call{Method: method, Form: r.PostForm, At: time.Now(),
		Text: r.PostForm.Get("text"), ParseMode: r.PostForm.Get("parse_mode"),
		ReplyMarkup: r.PostForm.Get("reply_markup"), DisablePreview: r.PostForm.Get("disable_web_page_preview") == "true"}
	c.ChatID, _ = formInt64(r, "chat_id")
	mid, _ := formInt64(r, "message_id")
	c.MessageID = int(mid)
	rt, _ := formInt64(r, "reply_to_message_id")
	c.ReplyTo = int(rt)
	c.CallbackID = r.PostForm.Get("callback_query_id")
	return c
}

// reject records a failed call. Call with s.mu held.
func (s *Server) rejectLocked(c Call, e *apiError) *apiError {
	c.Code, c.Description = e.code, e.desc
	s.rejected = append(s.rejected, c)
	s.notifyLocked()
	return e
}

// checkText validates the text and markup of a send or an edit.
func checkText(c *Call) *apiError {
	if c.ChatID == 0 {
		return badRequest("chat_id is empty")
	}
	if c.Text == "" {
		return badRequest("message text is empty")
	}
	plain := c.Text
	if c.ParseMode == "HTML" {
		p, err := ParseHTML(c.Text)
		if err != nil {
			return badRequest("can't parse entities: %v", err)
		}
		plain = p
	} else if c.ParseMode != "" {
		return badRequest("unsupported parse_mode %q in this fake", c.ParseMode)
	}
	if plain == "" {
		return badRequest("message text is empty")
	}
	if utf16Len(plain) > MaxText {
		return badRequest("message is too long")
	}
	c.Plain = plain
	if c.ReplyMarkup != "" && c.ReplyMarkup != "null" {
		if err := checkKeyboard(c.ReplyMarkup); err != nil {
			return err
		}
	}
	return nil
}

func checkKeyboard(raw string) *apiError {
	var kb struct {
		Rows [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
			URL          *string `json:"url"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range kb.Rows {
		for _, b := range row {
			if b.Text == "" {
				return badRequest("text buttons are unallowed in the inline keyboard")
			}
			if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64) {
				return badRequest("BUTTON_DATA_INVALID")
			}
		}
	}
	return nil
}

// hangIfAsked holds a send to a chat told to hang (HangSends) until the
// client gives up, then answers as a dropped connection would.
func (s *Server) hangIfAsked(r *http.Request, chatID int64) *apiError {
	s.mu.Lock()
	hang := s.hangTo[chatID]
	s.mu.Unlock()
	if !hang {
		return nil
	}
	s.hangUntilGone(r)
	return &apiError{code: 499, desc: "client gone"}
}

func (s *Server) sendMessage(r *http.Request) (any, *apiError) {
	c := newCall("sendMessage", r)
	if e := s.hangIfAsked(r, c.ChatID); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lost := s.faultLocked(c)
	if lost != nil && !lost.delivered {
		return nil, s.rejectLocked(c, lost)
	}
	if e := checkText(&c); e != nil {
		return nil, s.rejectLocked(c, e)
	}
	s.nextMsg++
	c.MessageID = s.nextMsg
	m := &storedMessage{Message: Message{MessageID: c.MessageID, From: &s.me, Chat: s.chatLocked(c.ChatID), Date: now(), Text: c.Plain}, html: c.Text, markup: c.ReplyMarkup}
	if c.ReplyMarkup != "" {
		m.ReplyMarkup = json.RawMessage(c.ReplyMarkup)
	}
	s.storeLocked(c.ChatID, m)
	if lost != nil {
		c.Code, c.Description = lost.code, lost.desc
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
	if lost != nil {
		return nil, lost
	}
	return m.Message, nil
}

func (s *Server) editMessageText(r *http.Request) (any, *apiError) {
	c := newCall("editMessageText", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.faultLocked(c); e != nil {
		return nil, s.rejectLocked(c, e)
	}
	if e := checkText(&c); e != nil {
		return nil, s.rejectLocked(c, e)
	}
	m := s.messages[c.ChatID][c.MessageID]
	if m == nil || m.From == nil || m.From.ID != s.me.ID {
		return nil, s.rejectLocked(c, badRequest("message to edit not found"))
	}
	if m.html == c.Text && m.markup == c.ReplyMarkup {
		return nil, s.rejectLocked(c, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"))
	}
	m.html, m.markup, m.Text = c.Text, c.ReplyMarkup, c.Plain
	m.ReplyMarkup = nil
	if c.ReplyMarkup != "" {
		m.ReplyMarkup = json.RawMessage(c.ReplyMarkup)
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return m.Message, nil
}

func (s *Server) answerCallbackQuery(r *http.Request) (any, *apiError) {
	c := newCall("answerCallbackQuery", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.CallbackID == "" {
		return nil, s.rejectLocked(c, badRequest("query is too old and response timeout expired or query ID is invalid"))
	}
	if e := s.faultLocked(c); e != nil {
		return nil, s.rejectLocked(c, e)
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return true, nil
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(r *http.Request) (any, *apiError) {
	c := newCall("setMyCommands", r)
	s.mu.Lock()
	defer s.mu.Unlock()
	var m Menu
	if err := json.Unmarshal([]byte(r.PostForm.Get("commands")), &m.Commands); err != nil {
		return nil, s.rejectLocked(c, badRequest("can't parse commands JSON"))
	}
	if len(m.Commands) > 100 {
		return nil, s.rejectLocked(c, badRequest("too many commands"))
	}
	for _, bc := range m.Commands {
		if !commandName.MatchString(bc.Command) {
			return nil, s.rejectLocked(c, badRequest("BOT_COMMAND_INVALID"))
		}
		if n := utf8.RuneCountInString(bc.Description); n < 1 || n > 256 {
			return nil, s.rejectLocked(c, badRequest("command description must be 1-256 characters"))
		}
	}
	m.Scope = "default"
	if raw := r.PostForm.Get("scope"); raw != "" {
		var sc struct {
			Type   string `json:"type"`
			ChatID int64  `json:"chat_id"`
		}
		if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
			return nil, s.rejectLocked(c, badRequest("can't parse BotCommandScope"))
		}
		m.Scope, m.ScopeChatID = sc.Type, sc.ChatID
	}
	m.LanguageCode = r.PostForm.Get("language_code")
	s.menus = append(s.menus, m)
	s.calls = append(s.calls, c)
	s.notifyLocked()
	return true, nil
}

// member is what getChatMember reports for a user (or the bot) in a chat.
type member struct {
	status  string
	canPost bool // can_post_messages, for channel administrators
}

// SetMember sets the status getChatMember reports for a user in a chat
// (creator, administrator, member, restricted, left, kicked). An
// administrator set this way may post messages (can_post_messages), as
// Telegram grants by default; see SetMemberRights.
func (s *Server) SetMember(chatID, userID int64, status string) {
	s.SetMemberRights(chatID, userID, status, status == "creator" || status == "administrator")
}

// SetMemberRights sets the status and can_post_messages getChatMember
// reports for a user in a chat. Use the bot's own ID (Me().ID) to set the
// bot's rights: in a channel the bot can only send when it is the creator or
// an administrator with canPost (otherwise sends fail as on Telegram).
func (s *Server) SetMemberRights(chatID, userID int64, status string, canPost bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members[[2]int64{chatID, userID}] = member{status: status, canPost: canPost}
}

func (s *Server) getChatMember(r *http.Request) (any, *apiError) {
	c := newCall("getChatMember", r)
	uid, _ := formInt64(r, "user_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.faultLocked(c); e != nil {
		return nil, s.rejectLocked(c, e)
	}
	m := s.members[[2]int64{c.ChatID, uid}]
	if m.status == "" {
		m.status = "member"
	}
	u := User{ID: uid, FirstName: "user"}
	if uid == s.me.ID {
		u = s.me
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
	out := map[string]any{"user": u, "status": m.status}
	if m.status == "administrator" && s.chatLocked(c.ChatID).Type == "channel" {
		out["can_post_messages"] = m.canPost
	}
	return out, nil
}

// channelFaultLocked is how Telegram refuses a send to a channel where the
// bot may not post.
func (s *Server) channelFaultLocked(chatID int64) *apiError {
	if s.chatLocked(chatID).Type != "channel" {
		return nil
	}
	m := s.members[[2]int64{chatID, s.me.ID}]
	switch {
	case m.status == "creator", m.status == "administrator" && m.canPost:
		return nil
	case m.status == "administrator":
		return badRequest("need administrator rights in the channel chat")
	}
	return &apiError{code: 403, desc: "Forbidden: bot is not a member of the channel chat"}
}

// Calls returns the successful calls of a method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return filter(s.calls, method)
}

// Rejected returns the calls the server failed (scripted faults, limits,
// invalid input), in order.
func (s *Server) Rejected(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return filter(s.rejected, method)
}

// Menus returns the recorded setMyCommands calls.
func (s *Server) Menus() []Menu {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Menu(nil), s.menus...)
}

// Sent returns the successful sendMessage calls to one chat.
func (s *Server) Sent(chatID int64) []Call {
	var out []Call
	for _, c := range s.Calls("sendMessage") {
		if c.ChatID == chatID {
			out = append(out, c)
		}
	}
	return out
}

// MessageText returns the current HTML text and reply markup of a message
// the bot sent.
func (s *Server) MessageText(chatID int64, messageID int) (html, markup string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[chatID][messageID]
	if m == nil {
		return "", "", false
	}
	return m.html, m.markup, true
}

func filter(calls []Call, method string) []Call {
	var out []Call
	for _, c := range calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Wait blocks until cond, evaluated under the server's lock after every
// change, returns true, or ctx ends.
func (s *Server) Wait(ctx context.Context, cond func(v View) bool) error {
	for {
		s.mu.Lock()
		ok := cond(View{s})
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitCalls waits until at least n successful calls of method were made
// and returns them all.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) ([]Call, error) {
	err := s.Wait(ctx, func(v View) bool { return len(v.Calls(method)) >= n })
	return s.Calls(method), err
}

// View reads the server's state inside Wait, where the lock is held.
type View struct{ s *Server }

// Calls is Server.Calls without locking.
func (v View) Calls(method string) []Call { return filter(v.s.calls, method) }

// Rejected is Server.Rejected without locking.
func (v View) Rejected(method string) []Call { return filter(v.s.rejected, method) }

// Hanging is the number of calls held unanswered (see Hang, HangSends).
func (v View) Hanging() int { return v.s.hanging }

// Pending is the number of unconfirmed updates.
func (v View) Pending() int { return len(v.s.updates) }

// Polls is the number of answered getUpdates calls.
func (v View) Polls() int { return v.s.polls }

// Polling is the number of getUpdates calls received, answered or not.
func (v View) Polling() int { return v.s.polling }

// Count is Server.Count without locking.
func (v View) Count(method string) int { return v.s.countLocked(method) }

// Count reports how many successful calls of method were made, without
// copying them: cheap enough to poll during a benchmark.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countLocked(method)
}

// countLocked counts calls incrementally: calls are only ever appended.
func (s *Server) countLocked(method string) int {
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	for ; s.counted < len(s.calls); s.counted++ {
		s.counts[s.calls[s.counted].Method]++
	}
	return s.counts[method]
}
