// Package fakediscord is an in-process fake of the parts of Discord a bot
// uses: the REST API (gateway discovery, command registration, interaction
// callbacks and channel messages as JSON or multipart with files checked
// as Discord checks them, channels and their guilds, nonce
// deduplication and optional rate limits, scripted 429/403/404 answers) and
// a websocket gateway (HELLO, IDENTIFY→READY, heartbeat ACKs, RESUME→RESUMED
// with replay, INTERACTION_CREATE dispatches, dropped connections, close
// codes).
//
// The real discordgo session talks to it when its HTTP client rewrites
// https://discord.com/api/v9/ to Server.APIURL. Nothing here touches the
// internet or any package-level state, so tests using it can run in parallel.
package fakediscord

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Default identities the fake hands out.
const (
	AppID     = "200000000000000001"
	BotUserID = "200000000000000001"
	GuildID   = "400000000000000001"
	ChannelID = "300000000000000001"
	UserID    = "600000000000000001"
	Token     = "test-token"
)

// Request is one REST call the fake received.
type Request struct {
	Method string
	Path   string // e.g. /api/v9/interactions/1/tok/callback
	Query  string
	Header http.Header
	Body   []byte
	Status int // what the fake answered
	At     time.Time
}

// JSON decodes the body into v.
func (r Request) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Response is a scripted answer to a matching request.
type Response struct {
	Status int
	Header http.Header
	Body   string
	// Hang holds the request, unanswered, until the client gives up; it is
	// recorded (Status 0) when it arrives.
	Hang bool
}

type script struct {
	method, prefix string
	resp           Response
	times          int // remaining uses
}

// Server is a fake Discord. Create it with New or Start.
type Server struct {
	// URL is the server's base, e.g. http://127.0.0.1:40000.
	URL string
	// APIURL is URL + "/api/v9/", the value for DISCORD_API_URL.
	APIURL string
	// Token is the bot token the fake accepts ("Bot " + Token in the
	// Authorization header). Empty accepts any.
	Token string

	srv *httptest.Server
	gw  *gateway

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever anything is recorded
	requests []Request
	scripts  []*script
	commands map[string][]byte // PUT path -> last body
	answered map[string]int    // interaction id -> index of its first 2xx callback in requests
	msgSeq   int
	channels channelState       // POST /channels/{id}/messages: messages, nonces, limits
	key      ed25519.PrivateKey // signs interactions sent by HTTP (http.go)
	noDM     map[string]bool    // users the bot cannot open a DM with (dms.go)
}

// New starts a fake Discord on a loopback port. Close it when done.
func New() *Server { return NewOn(nil) }

// NewOn starts a fake Discord serving on l (an in-memory listener, say, for
// a test inside a testing/synctest bubble), or on a loopback port when l is
// nil. When l has a Dial method (as memnet's listener does), Client dials
// through it. Close it when done.
func NewOn(l net.Listener) *Server {
	s := &Server{Token: Token, changed: make(chan struct{}), commands: map[string][]byte{}, answered: map[string]int{}}
	s.channels.init()
	s.gw = newGateway(s)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", s.handleGateway)
	mux.HandleFunc("GET /api/v9/gateway/bot", s.handleGatewayBot)
	mux.HandleFunc("PUT /api/v9/applications/{app}/commands", s.handlePutCommands)
	mux.HandleFunc("PUT /api/v9/applications/{app}/guilds/{guild}/commands", s.handlePutCommands)
	mux.HandleFunc("GET /api/v9/applications/{app}/commands", s.handleGetCommands)
	mux.HandleFunc("GET /api/v9/applications/{app}/guilds/{guild}/commands", s.handleGetCommands)
	mux.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", s.handleCallback)
	mux.HandleFunc("POST /api/v9/channels/{channel}/messages", s.handleChannelMessage)
	mux.HandleFunc("GET /api/v9/channels/{channel}", s.handleGetChannel)
	mux.HandleFunc("PATCH /api/v9/webhooks/{app}/{token}/messages/{msg}", s.handleEdit)
	mux.HandleFunc("POST /api/v9/webhooks/{app}/{token}", s.handleMessage)
	s.httpRoutes(mux)
	s.dmRoutes(mux)
	mux.HandleFunc("/gw", s.gw.serve)
	mux.HandleFunc("/gw/", s.gw.serve)
	mux.HandleFunc("/", s.handleNotFound)
	if l == nil {
		s.srv = httptest.NewServer(s.record(mux))
	} else {
		s.srv = &httptest.Server{Listener: l, Config: &http.Server{Handler: s.record(mux)}}
		s.srv.Start()
		if d, ok := l.(interface {
			Dial(ctx context.Context, network, addr string) (net.Conn, error)
		}); ok {
			s.srv.Client().Transport.(*http.Transport).DialContext = d.Dial
		}
	}
	s.URL = s.srv.URL
	s.APIURL = s.srv.URL + "/api/v9/"
	return s
}

// Start is New with the server closed when tb ends.
func Start(tb testing.TB) *Server { return StartOn(tb, nil) }

// StartOn is NewOn with the server closed when tb ends.
func StartOn(tb testing.TB, l net.Listener) *Server {
	tb.Helper()
	s := NewOn(l)
	tb.Cleanup(s.Close)
	return s
}

// Client returns an HTTP client that reaches the fake (over its listener's
// Dial, for an in-memory one); Close closes its idle connections.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close stops the gateway and the HTTP server.
func (s *Server) Close() {
	s.gw.closeAll()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// GatewayURL is the websocket URL the fake's /gateway returns.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/gw" }

func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Await blocks until cond (called under the fake's lock, so it must not call
// other Server methods) returns true, or ctx ends.
func (s *Server) Await(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
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

// Requests returns a copy of every REST call received so far, matching
// method ("" for any) and path prefix.
func (s *Server) Requests(method, pathPrefix string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filter(method, pathPrefix)
}

func (s *Server) filter(method, prefix string) []Request {
	var out []Request
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// AwaitRequests waits until at least n calls match method and prefix, and
// returns them.
func (s *Server) AwaitRequests(ctx context.Context, method, prefix string, n int) ([]Request, error) {
	var got []Request
	err := s.Await(ctx, func() bool {
		got = s.filter(method, prefix)
		return len(got) >= n
	})
	return got, err
}

// Callback is an interaction callback the fake accepted.
type Callback struct {
	InteractionID string
	Token         string
	Body          InteractionResponse
	Raw           []byte // the JSON: the body, or a multipart body's payload_json
	Files         []File // the uploads of a multipart callback
	At            time.Time
}

// InteractionResponse is the JSON body of an interaction callback.
type InteractionResponse struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
}

// AwaitCallback waits for the first successful (2xx) callback for an
// interaction id.
func (s *Server) AwaitCallback(ctx context.Context, interactionID string) (Callback, error) {
	var cb Callback
	var decodeErr error
	err := s.Await(ctx, func() bool {
		i, ok := s.answered[interactionID]
		if !ok {
			return false
		}
		r := s.requests[i]
		cb = Callback{InteractionID: interactionID, Token: strings.Split(r.Path, "/")[5], Raw: r.Body, At: r.At}
		cb.Raw, cb.Files, decodeErr = payloadOf(r.Header.Get("Content-Type"), r.Body)
		if decodeErr == nil {
			decodeErr = json.Unmarshal(cb.Raw, &cb.Body)
		}
		return true
	})
	if err == nil {
		err = decodeErr
	}
	return cb, err
}

// callbackID returns the interaction id of a callback request.
func callbackID(r Request) (string, bool) {
	rest, ok := strings.CutPrefix(r.Path, "/api/v9/interactions/")
	if !ok || r.Method != http.MethodPost || !strings.HasSuffix(rest, "/callback") {
		return "", false
	}
	id, _, _ := strings.Cut(rest, "/")
	return id, true
}

// CommandsPut returns the last body PUT to a commands path (global when
// guildID is "").
func (s *Server) CommandsPut(guildID string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[commandsPath(guildID)]
}

func commandsPath(guildID string) string {
	if guildID == "" {
		return "/api/v9/applications/" + AppID + "/commands"
	}
	return "/api/v9/applications/" + AppID + "/guilds/" + guildID + "/commands"
}

// Script makes the next `times` requests whose method matches (""=any) and
// whose path starts with prefix get resp instead of the normal answer.
func (s *Server) Script(method, prefix string, times int, resp Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts = append(s.scripts, &script{method: method, prefix: prefix, resp: resp, times: times})
}

// RateLimit scripts `times` 429 answers carrying retry_after (body, float
// seconds), Retry-After and the X-RateLimit headers, as Discord sends them.
func (s *Server) RateLimit(method, prefix string, times int, retryAfter time.Duration, global bool) {
	secs := retryAfter.Seconds()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Retry-After", fmt.Sprintf("%d", int(retryAfter.Round(time.Second)/time.Second)))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", secs))
	h.Set("X-RateLimit-Bucket", "fakebucket")
	scope := "user"
	if global {
		h.Set("X-RateLimit-Global", "true")
		scope = "global"
	}
	h.Set("X-RateLimit-Scope", scope)
	body := fmt.Sprintf(`{"message":"You are being rate limited.","retry_after":%.3f,"global":%t}`, secs, global)
	s.Script(method, prefix, times, Response{Status: http.StatusTooManyRequests, Header: h, Body: body})
}

// Fail scripts `times` JSON error answers, e.g. 403 {"code":50001,...}.
func (s *Server) Fail(method, prefix string, times, status, code int, message string) {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	body := fmt.Sprintf(`{"message":%q,"code":%d}`, message, code)
	s.Script(method, prefix, times, Response{Status: status, Header: h, Body: body})
}

// record wraps every REST handler: it checks the token, applies scripts and
// keeps a copy of each request.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/gw") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}

		s.mu.Lock()
		var scripted *Response
		for _, sc := range s.scripts {
			if sc.times > 0 && (sc.method == "" || sc.method == r.Method) && strings.HasPrefix(r.URL.Path, sc.prefix) {
				sc.times--
				resp := sc.resp
				scripted = &resp
				break
			}
		}
		token := s.Token
		s.mu.Unlock()

		if scripted != nil && scripted.Hang {
			rec.At = time.Now()
			rec.Status = 0
			s.mu.Lock()
			s.requests = append(s.requests, rec)
			s.notify()
			s.mu.Unlock()
			<-r.Context().Done()
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		switch {
		case token != "" && r.Header.Get("Authorization") != "Bot "+token:
			writeJSON(sw, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		case scripted != nil:
			for k, v := range scripted.Header {
				sw.Header()[k] = v
			}
			sw.WriteHeader(scripted.Status)
			io.WriteString(sw, scripted.Body)
		default:
			next.ServeHTTP(sw, r)
		}

		rec.Status = sw.status
		rec.At = time.Now()
		s.mu.Lock()
		if id, ok := callbackID(rec); ok && rec.Status < 300 {
			if _, seen := s.answered[id]; !seen {
				s.answered[id] = len(s.requests)
			}
		}
		s.requests = append(s.requests, rec)
		s.notify()
		s.mu.Unlock()
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) handleGateway(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.GatewayURL()})
}

func (s *Server) handleGatewayBot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url": s.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	})
}

func (s *Server) handlePutCommands(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	s.mu.Lock()
	s.commands[r.URL.Path] = body
	s.mu.Unlock()
	for i, c := range cmds {
		c["id"] = fmt.Sprintf("7000000000000000%02d", i)
		c["application_id"] = r.PathValue("app")
		c["version"] = "1"
		if g := r.PathValue("guild"); g != "" {
			c["guild_id"] = g
		}
	}
	writeJSON(w, http.StatusOK, cmds)
}

func (s *Server) handleGetCommands(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body := s.commands[r.URL.Path]
	s.mu.Unlock()
	if body == nil {
		body = []byte("[]")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	var resp InteractionResponse
	body, _ := io.ReadAll(r.Body)
	payload, _, err := payloadOf(r.Header.Get("Content-Type"), body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body: " + err.Error(), "code": 50035})
		return
	}
	if err := json.Unmarshal(payload, &resp); err != nil || resp.Type == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) {
	var msg map[string]any
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	s.mu.Lock()
	s.msgSeq++
	id := fmt.Sprintf("9000000000000%05d", s.msgSeq)
	s.mu.Unlock()
	msg["id"] = id
	msg["channel_id"] = r.PathValue("channel")
	msg["author"] = map[string]any{"id": BotUserID, "username": "eebot", "bot": true}
	msg["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	writeJSON(w, http.StatusOK, msg)
}

func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request) {
	var msg map[string]any
	json.NewDecoder(r.Body).Decode(&msg)
	if msg == nil {
		msg = map[string]any{}
	}
	msg["id"] = "900000000000000000"
	writeJSON(w, http.StatusOK, msg)
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
}
