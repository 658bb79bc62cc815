// Package faketelegram is an in-process fake of the Telegram Bot API for
// tests: an httptest server answering under /bot<token>/<method> the methods
// the bot uses (getMe, long-poll getUpdates, sendMessage, sendPhoto,
// editMessageText, answerCallbackQuery, setMyCommands, getChatMember,
// setWebhook, deleteWebhook, getWebhookInfo), recording every call,
// delivering message, callback_query and channel_post updates (by
// getUpdates, or POSTed to a webhook with its secret header, see webhook.go),
// and able to script failures (429 with retry_after, 403, migrate_to_chat_id)
// and to enforce flood limits. It never touches the network beyond loopback.
//
// The real tgbotapi client talks to it with
//
//	tgbotapi.NewBotAPIWithClient(token, srv.Endpoint(), srv.Client())
package faketelegram

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the token New uses when none is given.
const DefaultToken = "123456:TEST-token_do-not-log"

// Server is a fake Bot API. Its methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	listener net.Listener // nil: loopback
	token    string
	me       User

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every recorded change

	updates    []update // pending, unconfirmed updates
	allowed    []string // the last allowed_updates; empty: all
	nextUpdate int
	polling    int // getUpdates calls received
	polls      int // getUpdates calls answered

	nextMsg  int
	messages map[int64]map[int]*storedMessage // chat → message id → message
	chats    map[int64]Chat

	calls    []Call
	counted  int            // calls[:counted] are in counts
	counts   map[string]int // successful calls by method
	rejected []Call
	menus    []Menu

	faults   []*scripted
	blocked  map[int64]string
	migrated map[int64]int64
	members  map[[2]int64]member
	photos   map[string]*storedPhoto // by file_id
	photoSeq int

	limits  *enforcer
	closing chan struct{} // closed by Close: hung calls end
	revoked bool          // every call fails with 401, as after /revoke in BotFather
	hang    bool          // every call waits, unanswered, until the client gives up
	hangTo  map[int64]bool
	hanging int // calls waiting so

	hook webhook // setWebhook's URL and deliveries (webhook.go)
}

// User is a Telegram user or bot as the fake serializes it.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	UserName     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a chat as the fake serializes it. Type is private, group,
// supergroup or channel.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	UserName  string `json:"username,omitempty"`
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the bot token the server accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithListener serves on l (an in-memory listener, say, for a test inside a
// testing/synctest bubble) instead of a loopback port. When l has a Dial
// method (as memnet's listener does), Client dials through it.
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }

// WithBotUser sets what getMe returns.
func WithBotUser(id int64, username string) Option {
	return func(s *Server) { s.me = User{ID: id, IsBot: true, FirstName: username, UserName: username} }
}

// New starts a fake server; Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		token:      DefaultToken,
		me:         User{ID: 999000, IsBot: true, FirstName: "EE Bot", UserName: "OurBot"},
		changed:    make(chan struct{}),
		nextUpdate: 1000,
		nextMsg:    100,
		messages:   map[int64]map[int]*storedMessage{},
		chats:      map[int64]Chat{},
		blocked:    map[int64]string{},
		migrated:   map[int64]int64{},
		members:    map[[2]int64]member{},
		closing:    make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	if s.listener == nil {
		s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
		return s
	}
	s.srv = &httptest.Server{Listener: s.listener, Config: &http.Server{Handler: http.HandlerFunc(s.serve)}}
	s.srv.Start()
	if d, ok := s.listener.(interface {
		Dial(ctx context.Context, network, addr string) (net.Conn, error)
	}); ok {
		s.srv.Client().Transport.(*http.Transport).DialContext = d.Dial
	}
	return s
}

// Close shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// RevokeToken makes every later call fail with 401 Unauthorized, as
// Telegram answers once the bot's token was revoked.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
	s.notifyLocked()
}

// Hang makes every later call wait, unanswered, until the client gives up:
// an endpoint that accepts connections and never answers.
func (s *Server) Hang() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang = true
}

// HangSends makes every later sendMessage to chatID wait, unanswered,
// until the client gives up.
func (s *Server) HangSends(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hangTo == nil {
		s.hangTo = map[int64]bool{}
	}
	s.hangTo[chatID] = true
}

// hangUntilGone holds r, counted in View.Hanging, until its client leaves.
func (s *Server) hangUntilGone(r *http.Request) {
	s.mu.Lock()
	s.hanging++
	s.notifyLocked()
	s.mu.Unlock()
	<-r.Context().Done()
	s.mu.Lock()
	s.hanging--
	s.notifyLocked()
	s.mu.Unlock()
}

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// Me is the bot user getMe returns.
func (s *Server) Me() User { return s.me }

// URL is the server's base URL.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint is the tgbotapi endpoint format, "<url>/bot%s/%s".
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Client returns an HTTP client for the server that keeps enough idle
// connections for concurrent senders.
func (s *Server) Client() *http.Client {
	c := s.srv.Client()
	if tr, ok := c.Transport.(*http.Transport); ok {
		tr.MaxIdleConnsPerHost = 64
	}
	return c
}

// notifyLocked wakes everything waiting for a change. Call with s.mu held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *responseParams `json:"parameters,omitempty"`
}

type responseParams struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// apiError is a failed call: the Bot API's error_code, description and
// parameters.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
	delivered  bool // the call took effect before the error (Fault.Delivered)
	hang       bool // never answer (Fault.Hang)
}

func (e *apiError) response() apiResponse {
	r := apiResponse{OK: false, ErrorCode: e.code, Description: e.desc}
	if e.retryAfter != 0 || e.migrateTo != 0 {
		r.Parameters = &responseParams{RetryAfter: e.retryAfter, MigrateToChatID: e.migrateTo}
	}
	return r
}

func badRequest(format string, a ...any) *apiError {
	return &apiError{code: 400, desc: "Bad Request: " + fmt.Sprintf(format, a...)}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	revoked, hang := s.revoked, s.hang
	s.mu.Unlock()
	if hang {
		s.hangUntilGone(r)
		return
	}
	prefix := "/bot" + s.token + "/"
	if revoked || !strings.HasPrefix(r.URL.Path, prefix) {
		writeJSON(w, http.StatusUnauthorized, apiResponse{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	method := strings.TrimPrefix(r.URL.Path, prefix)
	parse := r.ParseForm
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		parse = func() error { return r.ParseMultipartForm(MaxPhotoBytes + 1<<20) } // uploads (sendPhoto)
	}
	if err := parse(); err != nil {
		writeJSON(w, 400, badRequest("bad form").response())
		return
	}
	var (
		result any
		aerr   *apiError
	)
	switch method {
	case "getMe":
		result = s.me
	case "getUpdates":
		result, aerr = s.getUpdates(r)
	case "sendMessage":
		result, aerr = s.sendMessage(r)
	case "sendPhoto":
		result, aerr = s.sendPhoto(r)
	case "editMessageText":
		result, aerr = s.editMessageText(r)
	case "answerCallbackQuery":
		result, aerr = s.answerCallbackQuery(r)
	case "setMyCommands":
		result, aerr = s.setMyCommands(r)
	case "getChatMember":
		result, aerr = s.getChatMember(r)
	case "setWebhook":
		result, aerr = s.setWebhook(r)
	case "deleteWebhook":
		result, aerr = s.deleteWebhook(r)
	case "getWebhookInfo":
		result, aerr = s.getWebhookInfo(r)
	default:
		writeJSON(w, http.StatusNotFound, apiResponse{ErrorCode: 404, Description: "Not Found: method not found"})
		return
	}
	if aerr != nil {
		if aerr.hang {
			select {
			case <-r.Context().Done():
			case <-s.closing:
			}
			return
		}
		writeJSON(w, aerr.code, aerr.response())
		return
	}
	writeJSON(w, http.StatusOK, apiResponse{OK: true, Result: result})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func formInt64(r *http.Request, key string) (int64, bool) {
	v := r.PostForm.Get(key)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

func now() int { return int(time.Now().Unix()) }
