package discord

import (
	"crypto/ed25519"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Config is what the Discord side needs. Only Token is required.
type Config struct {
	Token      string // bot token, with or without the "Bot " prefix
	GuildID    string // register commands in this guild only (instant); "" = global
	APIURL     string // REST base; "" = DefaultAPIURL (DISCORD_API_URL)
	Logger     *slog.Logger
	HTTPClient *http.Client // optional base client; its Transport is wrapped
	// Moderators reports whether a Discord user ID is one of the bot's
	// moderators (BOT_ADMINS "discord:<id>"); nil means nobody. The engine
	// checks Caller.Moderator before /announce and /draw add do anything.
	Moderators func(userID string) bool
	// PostRate caps Post calls per second across all channels, under
	// Discord's global limit of 50 requests/s (interaction answers are not
	// counted by Discord and not paced here). 0 means DefaultPostRate; a
	// negative value turns pacing off.
	PostRate float64

	// PublicKey, when set, makes the bot take interactions over HTTP
	// (DISCORD_MODE=http) instead of the gateway: the application's public
	// key verifies each request to InteractionsHandler.
	PublicKey ed25519.PublicKey
	// DeferAfter is how long an HTTP interaction's answer may take before
	// it is deferred; 0 means DefaultDeferAfter.
	DeferAfter time.Duration
	// Now is the clock that checks HTTP interactions' timestamps; default
	// time.Now.
	Now func() time.Time
}

func (c Config) deferAfter() time.Duration {
	if c.DeferAfter > 0 {
		return c.DeferAfter
	}
	return DefaultDeferAfter
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// DefaultPostRate is Discord's global REST limit per bot, in requests/s.
const DefaultPostRate = 50

const (
	defaultHTTPTimeout = 20 * time.Second
	// respondTimeout bounds the whole answer to one interaction: Discord
	// drops the token 3 s after the interaction was created.
	respondTimeout = 3 * time.Second
	// drainTimeout is how long Run waits for in-flight answers on shutdown,
	// within the process's 2 s to exit.
	drainTimeout = 1500 * time.Millisecond
)

func (c Config) validate() error {
	t := strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot "))
	if t == "" {
		return errors.New("discord: empty bot token")
	}
	if strings.ContainsAny(t, " \t\r\n") {
		return errors.New("discord: bot token contains whitespace")
	}
	if c.PublicKey != nil && len(c.PublicKey) != ed25519.PublicKeySize {
		return errors.New("discord: public key must be 32 bytes")
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		return errors.New("discord: guild ID must be a numeric snowflake")
	}
	return nil
}

// authToken is the Authorization header value discordgo sends.
func (c Config) authToken() string {
	return "Bot " + strings.TrimSpace(strings.TrimPrefix(c.Token, "Bot "))
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
