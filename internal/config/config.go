// Package config reads the bot's settings from flags, with environment
// variables (and a .env file, when present) as defaults.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/eebot/eebot/internal/domain"
)

// Config is every setting the bot reads.
type Config struct {
	DataDir string
	DBPath  string // ":memory:" allowed
	// ChartDir is where the console and ask write charts (-out; default
	// DATA_DIR/charts).
	ChartDir  string
	LogLevel  slog.Level
	LogFormat string // "text" or "json" (LOG_FORMAT)

	// HTTPAddr is where the HTTP server listens (HTTP_ADDR): health,
	// readiness, metrics, and the Discord interactions and Telegram webhook
	// endpoints of the modes below. "" turns the server off.
	HTTPAddr string

	DiscordToken   string
	DiscordGuildID string
	DiscordAPIURL  string
	// DiscordMode is "gateway" (default) or "http": interactions arrive as
	// signed POSTs on HTTPAddr, checked with DiscordPublicKey (hex).
	DiscordMode      string
	DiscordPublicKey string

	TelegramToken    string
	TelegramEndpoint string
	// TelegramWebhookURL, when set, receives updates instead of long
	// polling; Telegram sends TelegramWebhookSecret with each one.
	TelegramWebhookURL    string
	TelegramWebhookSecret string

	// Moderators are the bot's moderators' user IDs by platform (BOT_ADMINS).
	Moderators map[domain.Platform][]string
	// Priority destinations get posts first (PRIORITY_DESTINATIONS).
	Priority     []domain.Destination
	PostTemplate string // file overriding the embedded post wording
	// Lang is the answers' language when nothing else says which (the
	// console and ask; a chat's setting, a question's language and the
	// platform's locale come first).
	Lang string

	FeedURL      string
	PollInterval time.Duration // business hours
	PollOffHours time.Duration
	NoPoll       bool

	// PostGrace is how long posts already being sent get to finish when the
	// bot is told to stop (POST_GRACE); everything else stops within 2 s.
	// Keep it under the orchestrator's kill timeout (Docker: 10 s) less 2 s.
	PostGrace time.Duration

	// ReplicaID names this instance in the fleet (REPLICA_ID): the lease
	// of the leader, /readyz and /about say it. It defaults to the host
	// name and the process ID; ReplicaIDSet says whether it was given.
	ReplicaID    string
	ReplicaIDSet bool

	// OutboxRetention is how long the outbox keeps the record of each post
	// made (OUTBOX_RETENTION): older rows of draws older than that are
	// compacted away, so the database stays bounded. At least 7 days, the
	// window in which a new draw is still posted.
	OutboxRetention time.Duration
	// ClaimLease is how long a replica's claim on posts it is sending
	// holds before another replica may take them back (OUTBOX_CLAIM_LEASE):
	// only a replica that died holding them lets one run out.
	ClaimLease time.Duration
}

// Console reports whether no platform is configured, so the console runs.
func (c Config) Console() bool { return c.DiscordToken == "" && c.TelegramToken == "" }

// Defaults.
const (
	DefaultDiscordAPI  = "https://discord.com/api/v9/"
	DefaultTelegramAPI = "https://api.telegram.org/bot%s/%s"
	DefaultFeedURL     = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"
	DefaultPostGrace   = 5 * time.Second
	// DefaultOutboxRetention keeps a month of posts: long enough for any
	// correction IRCC makes to a draw to reach everyone who saw it.
	DefaultOutboxRetention = 30 * 24 * time.Hour
	// MinOutboxRetention is the new-draw posting window (store.MinOutboxRetention).
	MinOutboxRetention = 7 * 24 * time.Hour

	DiscordGateway = "gateway"
	DiscordHTTP    = "http"
)

// DiscordInteractionsPath and TelegramWebhookPath are where the HTTP server
// takes Discord's interactions and Telegram's updates.
const (
	DiscordInteractionsPath = "/discord/interactions"
	TelegramWebhookPath     = "/telegram/webhook"
)

// Load parses args (without the program name) over the environment. A .env
// file in the working directory fills variables the environment lacks.
func Load(args []string, getenv func(string) string, stderr io.Writer) (Config, []string, error) {
	dotenv, err := godotenv.Read()
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Config{}, nil, fmt.Errorf("config: .env: %w", err)
	}
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		if v := strings.TrimSpace(dotenv[k]); v != "" {
			return v
		}
		return def
	}
	var c Config
	var level string
	fs := flag.NewFlagSet("eebot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "var"), "directory for the database `dir` (env DATA_DIR)")
	fs.StringVar(&c.DBPath, "db", env("DB_PATH", env("DATABASE_URL", "")), "SQLite database `path`, :memory:, or a postgres:// URL (env DB_PATH or DATABASE_URL; default DATA_DIR/eebot.db)")
	fs.StringVar(&c.ChartDir, "out", env("CHART_DIR", ""), "directory the console and ask write charts to (env CHART_DIR; default DATA_DIR/charts)")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (env LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "text or json (env LOG_FORMAT)")
	fs.StringVar(&c.HTTPAddr, "http-addr", env("HTTP_ADDR", ""), "serve /healthz, /readyz, /metrics and the webhook endpoints on this `host:port` (env HTTP_ADDR; off when empty)")
	fs.StringVar(&c.DiscordMode, "discord-mode", env("DISCORD_MODE", DiscordGateway), "how Discord interactions arrive: gateway or http (env DISCORD_MODE)")
	fs.StringVar(&c.DiscordPublicKey, "discord-public-key", env("DISCORD_PUBLIC_KEY", ""), "the application's public key, hex, to verify HTTP interactions (env DISCORD_PUBLIC_KEY)")
	fs.StringVar(&c.TelegramWebhookURL, "telegram-webhook-url", env("TELEGRAM_WEBHOOK_URL", ""), "public URL Telegram posts updates to, ending in "+TelegramWebhookPath+" behind your proxy; empty = long polling (env TELEGRAM_WEBHOOK_URL)")
	fs.StringVar(&c.DiscordGuildID, "discord-guild", env("DISCORD_GUILD_ID", ""), "register commands in this guild only (env DISCORD_GUILD_ID)")
	fs.StringVar(&c.DiscordAPIURL, "discord-api", env("DISCORD_API_URL", DefaultDiscordAPI), "Discord REST base URL (env DISCORD_API_URL)")
	fs.StringVar(&c.TelegramEndpoint, "telegram-api", env("TELEGRAM_API_ENDPOINT", DefaultTelegramAPI), "Telegram Bot API endpoint with two %s (env TELEGRAM_API_ENDPOINT)")
	fs.StringVar(&c.FeedURL, "feed-url", env("IRCC_FEED_URL", DefaultFeedURL), "IRCC rounds feed URL (env IRCC_FEED_URL)")
	var poll, off string
	fs.StringVar(&poll, "poll", env("POLL_INTERVAL", "5m"), "feed poll interval in Toronto business hours (env POLL_INTERVAL)")
	fs.StringVar(&off, "poll-off-hours", env("POLL_OFF_HOURS_INTERVAL", "30m"), "feed poll interval otherwise (env POLL_OFF_HOURS_INTERVAL)")
	var grace string
	fs.StringVar(&grace, "post-grace", env("POST_GRACE", DefaultPostGrace.String()), "on stop, how long posts already being sent get to finish (env POST_GRACE)")
	var lease string
	fs.StringVar(&lease, "outbox-claim-lease", env("OUTBOX_CLAIM_LEASE", "5m"), "how long posts a replica claimed stay its own if it dies before saying what became of them (env OUTBOX_CLAIM_LEASE)")
	var retention string
	fs.StringVar(&retention, "outbox-retention", env("OUTBOX_RETENTION", fmt.Sprintf("%dd", DefaultOutboxRetention/(24*time.Hour))), "how long records of posts made are kept, at least 7d (env OUTBOX_RETENTION)")
	fs.BoolVar(&c.NoPoll, "no-poll", env("NO_POLL", "") == "1" || env("NO_POLL", "") == "true", "never fetch the live feed (env NO_POLL)")
	fs.StringVar(&c.PostTemplate, "post-template", env("POST_TEMPLATE", ""), "text/template file for new-draw posts (env POST_TEMPLATE)")
	fs.StringVar(&c.Lang, "lang", env("LANG", "en"), "answers' language when nothing else says which: en or fr (env LANG)")
	fs.StringVar(&c.ReplicaID, "replica-id", env("REPLICA_ID", ""), "this instance's name in a fleet sharing one database (env REPLICA_ID; default host name-pid)")
	admins := env("BOT_ADMINS", "")
	priority := env("PRIORITY_DESTINATIONS", "")
	if err := fs.Parse(args); err != nil {
		return Config{}, nil, err
	}
	if c.Moderators, err = platformIDs("BOT_ADMINS", admins); err != nil {
		return Config{}, nil, err
	}
	prio, err := platformIDs("PRIORITY_DESTINATIONS", priority)
	if err != nil {
		return Config{}, nil, err
	}
	for p, ids := range prio {
		for _, id := range ids {
			c.Priority = append(c.Priority, domain.Destination{Platform: p, ID: id})
		}
	}
	// Tokens come only from the environment so they never show in `ps`.
	c.DiscordToken = env("DISCORD_BOT_TOKEN", "")
	c.TelegramToken = env("TELEGRAM_BOT_TOKEN", "")
	c.TelegramWebhookSecret = env("TELEGRAM_WEBHOOK_SECRET", "")
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return Config{}, nil, fmt.Errorf("config: LOG_LEVEL %q: use debug, info, warn or error", level)
	}
	if c.PollInterval, err = positive("POLL_INTERVAL", poll); err != nil {
		return Config{}, nil, err
	}
	if c.PollOffHours, err = positive("POLL_OFF_HOURS_INTERVAL", off); err != nil {
		return Config{}, nil, err
	}
	if c.PostGrace, err = positive("POST_GRACE", grace); err != nil {
		return Config{}, nil, err
	}
	if c.OutboxRetention, err = days("OUTBOX_RETENTION", retention); err != nil {
		return Config{}, nil, err
	}
	if c.ClaimLease, err = positive("OUTBOX_CLAIM_LEASE", lease); err != nil {
		return Config{}, nil, err
	}
	c.ReplicaID = strings.TrimSpace(c.ReplicaID)
	c.ReplicaIDSet = c.ReplicaID != ""
	if !c.ReplicaIDSet {
		c.ReplicaID = defaultReplicaID()
	}
	if c.DBPath == "" {
		c.DBPath = filepath.Join(c.DataDir, "eebot.db")
	}
	if c.ChartDir == "" {
		c.ChartDir = filepath.Join(c.DataDir, "charts")
	}
	if err := c.validate(); err != nil {
		return Config{}, nil, err
	}
	return c, fs.Args(), nil
}

// defaultReplicaID is the host name (a container's ID under Docker) and the
// process ID: unique among replicas, and a restarted process is a new one.
func defaultReplicaID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "eebot"
	}
	return host + "-" + strconv.Itoa(os.Getpid())
}

// platformIDs parses "discord:123,telegram:-456" into IDs by platform,
// each once, in the order given.
func platformIDs(name, v string) (map[domain.Platform][]string, error) {
	out := map[domain.Platform][]string{}
	for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		platform, id, ok := strings.Cut(item, ":")
		p := domain.Platform(strings.ToLower(platform))
		if !ok || (p != domain.Discord && p != domain.Telegram) || id == "" || strings.Trim(id, "-0123456789") != "" {
			return nil, fmt.Errorf("config: %s entry %q: use discord:<id> or telegram:<id>, comma-separated", name, item)
		}
		if !slices.Contains(out[p], id) {
			out[p] = append(out[p], id)
		}
	}
	return out, nil
}

func positive(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		return 0, fmt.Errorf("config: %s %q: use a duration of at least 1s, e.g. 5m", name, v)
	}
	return d, nil
}

// days parses a retention: a number of days ("30d") or a Go duration
// ("720h"), of at least MinOutboxRetention.
func days(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		if days, err = strconv.Atoi(n); err == nil {
			d = time.Duration(days) * 24 * time.Hour
		}
	}
	if err != nil || d < MinOutboxRetention {
		return 0, fmt.Errorf("config: %s %q: use a number of days of at least 7, e.g. 30d", name, v)
	}
	return d, nil
}

func (c Config) validate() error {
	if err := httpURL("DISCORD_API_URL", c.DiscordAPIURL); err != nil {
		return err
	}
	if err := httpURL("IRCC_FEED_URL", c.FeedURL); err != nil {
		return err
	}
	if strings.Count(c.TelegramEndpoint, "%s") != 2 {
		return fmt.Errorf("config: TELEGRAM_API_ENDPOINT must contain two %%s (token, method), like %s", DefaultTelegramAPI)
	}
	if err := httpURL("TELEGRAM_API_ENDPOINT", strings.ReplaceAll(c.TelegramEndpoint, "%s", "x")); err != nil {
		return err
	}
	for name, tok := range map[string]string{"DISCORD_BOT_TOKEN": c.DiscordToken, "TELEGRAM_BOT_TOKEN": c.TelegramToken} {
		if strings.ContainsAny(tok, " \t\r\n") {
			return fmt.Errorf("config: %s contains whitespace; paste the token alone", name)
		}
	}
	if c.TelegramToken != "" && !strings.Contains(c.TelegramToken, ":") {
		return errors.New("config: TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456:ABC…)")
	}
	if c.DiscordGuildID != "" && strings.Trim(c.DiscordGuildID, "0123456789") != "" {
		return fmt.Errorf("config: DISCORD_GUILD_ID %q must be a numeric ID", c.DiscordGuildID)
	}
	if len(c.ReplicaID) > 100 || strings.ContainsFunc(c.ReplicaID, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("config: REPLICA_ID %q: use up to 100 characters, no spaces", c.ReplicaID)
	}
	return c.validateServing()
}

func httpURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: %s %q is not an http(s) URL", name, v)
	}
	return nil
}
