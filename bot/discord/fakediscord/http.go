package fakediscord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// HTTP interactions: instead of the gateway, Discord POSTs each interaction
// to the application's Interactions Endpoint URL, signed with the
// application's Ed25519 key (X-Signature-Ed25519 over X-Signature-Timestamp
// followed by the body), and takes the answer from the HTTP response. The
// fake signs with a key of its own; PublicKey is the value for
// DISCORD_PUBLIC_KEY.

// httpRoutes adds the REST routes an HTTP-interactions bot uses besides the
// gateway bot's: the current application (for its ID) and deleting an
// interaction's original response.
func (s *Server) httpRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v9/applications/@me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"id": AppID, "name": "eebot", "verify_key": s.PublicKey(),
			"bot": map[string]any{"id": BotUserID, "username": "eebot", "bot": true}})
	})
	mux.HandleFunc("GET /api/v9/oauth2/applications/@me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"id": AppID, "name": "eebot", "verify_key": s.PublicKey()})
	})
	mux.HandleFunc("DELETE /api/v9/webhooks/{app}/{token}/messages/{msg}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Server) signer() ed25519.PrivateKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key == nil {
		_, s.key, _ = ed25519.GenerateKey(nil)
	}
	return s.key
}

// PublicKey is the application's public key, hex, as the Developer Portal
// shows it.
func (s *Server) PublicKey() string {
	return hex.EncodeToString(s.signer().Public().(ed25519.PublicKey))
}

// Sign returns the X-Signature-Ed25519 value for a body sent at timestamp.
func (s *Server) Sign(timestamp string, body []byte) string {
	msg := append([]byte(timestamp), body...)
	return hex.EncodeToString(ed25519.Sign(s.signer(), msg))
}

// InteractionRequest builds the signed POST Discord sends to an
// interactions endpoint, stamped at.
func (s *Server) InteractionRequest(ctx context.Context, url string, body []byte, at time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", s.Sign(ts, body))
	return req, nil
}

// HTTPAnswer is an interactions endpoint's answer.
type HTTPAnswer struct {
	Status int
	Body   []byte
	Took   time.Duration // from sending the request to reading the whole answer
}

// JSON decodes the answer's body into v.
func (a HTTPAnswer) JSON(v any) error { return json.Unmarshal(a.Body, v) }

// Interact POSTs in to an interactions endpoint, signed now, as Discord
// does, with client (nil: http.DefaultClient), and returns the answer.
func (s *Server) Interact(ctx context.Context, client *http.Client, url string, in Interaction) (HTTPAnswer, error) {
	body, err := json.Marshal(in.Payload())
	if err != nil {
		return HTTPAnswer{}, err
	}
	return s.Send(ctx, client, url, body, time.Now(), nil)
}

// Ping POSTs a PING (type 1), as Discord does when the endpoint URL is
// saved in the Developer Portal.
func (s *Server) Ping(ctx context.Context, client *http.Client, url string) (HTTPAnswer, error) {
	body, _ := json.Marshal(map[string]any{"id": NextID(), "application_id": AppID, "type": 1, "token": "ping-token", "version": 1})
	return s.Send(ctx, client, url, body, time.Now(), nil)
}

// Send POSTs body signed at at; tamper, when not nil, may change the
// request after signing (a forged body or signature).
func (s *Server) Send(ctx context.Context, client *http.Client, url string, body []byte, at time.Time, tamper func(*http.Request)) (HTTPAnswer, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := s.InteractionRequest(ctx, url, body, at)
	if err != nil {
		return HTTPAnswer{}, err
	}
	if tamper != nil {
		tamper(req)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return HTTPAnswer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return HTTPAnswer{Status: resp.StatusCode, Body: b, Took: time.Since(start)}, err
}
