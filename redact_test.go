package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// tokenForms are the ways a token has reached a log line: as typed, and
// URL-escaped by a redirect or a proxy (upper- and lower-case hex).
func tokenForms(tok string) []string {
	q := url.QueryEscape(tok)
	return []string{tok, q, strings.ToLower(q), url.PathEscape(tok)}
}

// A Bot API endpoint that redirects with the token's ':' written as %3A:
// the error names the redirect's URL, and the log must not carry the token
// in that form either.
func TestRunRedactsEscapedTelegramToken(t *testing.T) {
	t.Parallel()
	const token = "7312345678:AAHfRedactMe_0123456789abcdefXYZ"
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Port 1 on loopback refuses at once: the redirected call fails.
		http.Redirect(w, r, "http://127.0.0.1:1/bot"+url.QueryEscape(token)+"/getMe", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	storetest.SeedMemory(t)
	// getMe is asked again until it answers: wait for the failure's line,
	// then stop the bot.
	logs := &testlog.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, strings.NewReader(""), &bytes.Buffer{}, logs, env(map[string]string{
			"DB_PATH": ":memory:", "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": redirect.URL + "/bot%s/%s",
		}))
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	err := logs.Wait(wctx, func(s string) bool { return strings.Contains(s, "getMe failed") && strings.Contains(s, "127.0.0.1:1") })
	cancel()
	<-done
	if err != nil {
		t.Fatalf("no getMe failure naming the redirect logged: %v\n%s", err, logs.String())
	}
	for _, f := range tokenForms(token) {
		if strings.Contains(logs.String(), f) {
			t.Errorf("the log carries the token as %q:\n%s", f, logs.String())
		}
	}
}

// A Discord error whose body echoes the Authorization header (a proxy in
// front of Discord does this) must not put the bot token in the log.
func TestRunRedactsEchoedDiscordToken(t *testing.T) {
	t.Parallel()
	dc := fakediscord.Start(t)
	dc.Token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.RedactMe_0123456789-abcdefXYZ"
	dc.Script("PUT", "/api/v9/applications/", 1, fakediscord.Response{Status: http.StatusBadRequest,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"message":"Invalid Form Body","code":50035,"request":{"headers":{"Authorization":"Bot ` + dc.Token + `"}}}`})
	dbPath := t.TempDir() + "/bot.db"
	storetest.SeedFile(t, dbPath)
	logs := &testlog.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, nil, strings.NewReader(""), &bytes.Buffer{}, logs, env(map[string]string{
			"DB_PATH": dbPath, "DISCORD_BOT_TOKEN": dc.Token, "DISCORD_API_URL": dc.APIURL, "DISCORD_GUILD_ID": fakediscord.GuildID,
		}))
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	err := logs.Wait(wctx, func(s string) bool { return strings.Contains(s, "command registration failed") })
	cancel()
	<-done
	if err != nil {
		t.Fatalf("no registration failure logged: %v\n%s", err, logs.String())
	}
	for _, f := range tokenForms(dc.Token) {
		if strings.Contains(logs.String(), f) {
			t.Errorf("the log carries the token as %q:\n%s", f, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "Authorization") {
		t.Errorf("the error's text was dropped instead of redacted:\n%s", logs.String())
	}
}
