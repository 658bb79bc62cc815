package faketelegram

import (
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Fault is a scripted failure. Code is the Bot API error_code (429, 403,
// 400, 500, …); Description defaults to Telegram's usual text for the code.
type Fault struct {
	Code        int
	Description string
	RetryAfter  int   // parameters.retry_after, seconds
	MigrateTo   int64 // parameters.migrate_to_chat_id
	// Delivered (sendMessage only): the message is delivered (Calls
	// lists it, with Code set) and only then is the error answered, as
	// when a proxy in front of Telegram loses the answer: the bot cannot
	// tell it from a failure. Code defaults to 502.
	Delivered bool
	// Hang (sendMessage only): the message is delivered and no answer
	// ever comes; the call ends when the client gives up (its timeout) or
	// the server closes.
	Hang bool
}

// LostAnswer is a 502 Bad Gateway answered after the message was
// delivered.
var LostAnswer = Fault{Code: 502, Description: "Bad Gateway", Delivered: true}

// Some faults as Telegram sends them.
var (
	Blocked = Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	Kicked  = Fault{Code: 403, Description: "Forbidden: bot was kicked from the group chat"}
	// NotStarted: the user never opened a private chat with the bot.
	NotStarted = Fault{Code: 403, Description: "Forbidden: bot can't initiate conversation with a user"}
)

// TooMany is a flood-control 429 asking to wait seconds.
func TooMany(seconds int) Fault {
	return Fault{Code: 429, Description: "Too Many Requests: retry after " + strconv.Itoa(seconds), RetryAfter: seconds}
}

type scripted struct {
	method string
	chatID int64 // 0 for any chat
	fault  Fault
	times  int
}

// Script makes the next times calls of method (to chatID, or to any chat
// when chatID is 0) fail with f. Scripts are consumed in the order given.
func (s *Server) Script(method string, chatID int64, times int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &scripted{method: method, chatID: chatID, fault: f, times: times})
}

// Block makes every later send to chatID fail with 403 and description
// (Blocked.Description when empty).
func (s *Server) Block(chatID int64, description string) {
	if description == "" {
		description = Blocked.Description
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = description
}

// MigrateChat makes every later send to the basic group oldID fail with
// 400 and parameters.migrate_to_chat_id = newID, as Telegram does once a
// group became a supergroup.
func (s *Server) MigrateChat(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[oldID] = newID
	s.chats[newID] = SupergroupChat(newID, "supergroup")
}

func (s *Server) faultLocked(c Call) *apiError {
	switch c.Method {
	case "sendMessage", "editMessageText", "sendPhoto":
		if to, ok := s.migrated[c.ChatID]; ok {
			return &apiError{code: 400, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
		}
		if d, ok := s.blocked[c.ChatID]; ok {
			return &apiError{code: 403, desc: d}
		}
		if e := s.channelFaultLocked(c.ChatID); e != nil {
			return e
		}
	}
	for i, f := range s.faults {
		if f.method != c.Method || (f.chatID != 0 && f.chatID != c.ChatID) {
			continue
		}
		f.times--
		if f.times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		e := &apiError{code: f.fault.Code, desc: f.fault.Description, retryAfter: f.fault.RetryAfter, migrateTo: f.fault.MigrateTo,
			delivered: f.fault.Delivered || f.fault.Hang, hang: f.fault.Hang}
		if e.code == 0 && e.delivered {
			e.code = 502
		}
		if e.desc == "" {
			e.desc = defaultDescription(e.code)
		}
		return e
	}
	if s.limits != nil && (c.Method == "sendMessage" || c.Method == "editMessageText" || c.Method == "sendPhoto") {
		return s.limits.check(c.ChatID, time.Now())
	}
	return nil
}

func defaultDescription(code int) string {
	switch code {
	case 429:
		return "Too Many Requests: retry after"
	case 403:
		return "Forbidden: bot was blocked by the user"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 502:
		return "Bad Gateway"
	default:
		return "Internal Server Error"
	}
}

// Limits are the flood limits the fake can enforce: token buckets per chat,
// per group (negative chat IDs) and overall. Rates are per second except
// Group, per minute. Bursts are the bucket sizes (at least 1): Telegram
// tolerates short bursts, and a little slack absorbs requests that left the
// client in order but arrive a fraction of an interval apart.
type Limits struct {
	PerChat      float64 // messages per second in one chat
	PerChatBurst int
	Group        float64 // messages per minute in one group
	GroupBurst   int
	Global       float64 // messages per second overall
	GlobalBurst  int
}

// TelegramLimits are the documented limits: 1/s per chat, 20/min per
// group, 30/s overall, with a burst of one extra message.
var TelegramLimits = Limits{PerChat: 1, PerChatBurst: 2, Group: 20, GroupBurst: 2, Global: 30, GlobalBurst: 2}

// Scaled multiplies every rate by f (bursts unchanged).
func (l Limits) Scaled(f float64) Limits {
	l.PerChat *= f
	l.Group *= f
	l.Global *= f
	return l
}

type enforcer struct {
	l       Limits
	global  *rate.Limiter
	chats   map[int64]*rate.Limiter
	groups  map[int64]*rate.Limiter
	tripped atomic.Int64
}

// EnforceLimits makes sendMessage and editMessageText answer 429 (with
// retry_after rounded up to whole seconds) when the bot exceeds l. Call it
// before the bot sends anything.
func (s *Server) EnforceLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = &enforcer{l: l, global: rate.NewLimiter(rate.Limit(l.Global), max(1, l.GlobalBurst)),
		chats: map[int64]*rate.Limiter{}, groups: map[int64]*rate.Limiter{}}
}

// FloodErrors reports how many 429s the limit enforcer answered.
func (s *Server) FloodErrors() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limits == nil {
		return 0
	}
	return int(s.limits.tripped.Load())
}

func (e *enforcer) check(chatID int64, t time.Time) *apiError {
	lims := []*rate.Limiter{e.global}
	c := e.chats[chatID]
	if c == nil {
		c = rate.NewLimiter(rate.Limit(e.l.PerChat), max(1, e.l.PerChatBurst))
		e.chats[chatID] = c
	}
	lims = append(lims, c)
	if chatID < 0 {
		g := e.groups[chatID]
		if g == nil {
			g = rate.NewLimiter(rate.Limit(e.l.Group/60), max(1, e.l.GroupBurst))
			e.groups[chatID] = g
		}
		lims = append(lims, g)
	}
	var (
		res  []*rate.Reservation
		wait time.Duration
	)
	for _, l := range lims {
		r := l.ReserveN(t, 1)
		res = append(res, r)
		wait = max(wait, r.DelayFrom(t))
	}
	if wait == 0 {
		return nil
	}
	for _, r := range res {
		r.CancelAt(t)
	}
	e.tripped.Add(1)
	secs := int(math.Ceil(wait.Seconds()))
	return &apiError{code: 429, desc: "Too Many Requests: retry after " + strconv.Itoa(secs), retryAfter: secs}
}

// Busiest is a strict check of a sliding-window limit: the most calls whose
// At falls in one window [t, t+w), over every t. calls must be in the
// order they arrived (as Calls returns them).
func Busiest(calls []Call, w time.Duration) int {
	most, first := 0, 0
	for i, c := range calls {
		for !calls[first].At.Add(w).After(c.At) {
			first++
		}
		most = max(most, i-first+1)
	}
	return most
}
