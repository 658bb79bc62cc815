package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
)

// validateServing checks the settings of the HTTP server and of the modes
// that need it (Discord HTTP interactions, Telegram webhooks).
func (c Config) validateServing() error {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: LOG_FORMAT %q: use text or json", c.LogFormat)
	}
	if c.HTTPAddr != "" {
		if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || port == "" {
			return fmt.Errorf("config: HTTP_ADDR %q: use host:port or :port, e.g. :8080", c.HTTPAddr)
		}
	}
	switch c.DiscordMode {
	case DiscordGateway:
	case DiscordHTTP:
		if c.DiscordToken == "" {
			return errors.New("config: DISCORD_MODE=http needs DISCORD_BOT_TOKEN (answers and posts still go out by REST)")
		}
		if c.HTTPAddr == "" {
			return errors.New("config: DISCORD_MODE=http needs HTTP_ADDR: Discord posts interactions to " + DiscordInteractionsPath + " on it")
		}
		if _, err := c.DiscordKey(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("config: DISCORD_MODE %q: use gateway or http", c.DiscordMode)
	}
	if c.TelegramWebhookURL == "" {
		return nil
	}
	if c.TelegramToken == "" {
		return errors.New("config: TELEGRAM_WEBHOOK_URL needs TELEGRAM_BOT_TOKEN")
	}
	if err := httpURL("TELEGRAM_WEBHOOK_URL", c.TelegramWebhookURL); err != nil {
		return err
	}
	if c.HTTPAddr == "" {
		return errors.New("config: TELEGRAM_WEBHOOK_URL needs HTTP_ADDR: Telegram's updates arrive at " + TelegramWebhookPath + " on it")
	}
	if !validWebhookSecret(c.TelegramWebhookSecret) {
		return errors.New("config: TELEGRAM_WEBHOOK_SECRET must be set with TELEGRAM_WEBHOOK_URL: 1-256 characters of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32)")
	}
	return nil
}

// DiscordKey is DISCORD_PUBLIC_KEY decoded.
func (c Config) DiscordKey() (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(strings.TrimSpace(c.DiscordPublicKey))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, errors.New("config: DISCORD_PUBLIC_KEY must be the application's public key from the Developer Portal (64 hex digits)")
	}
	return ed25519.PublicKey(k), nil
}

// validWebhookSecret checks Telegram's rules for secret_token.
func validWebhookSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// ProbeURL is the readiness URL `eebot healthcheck` asks: HTTPAddr on the
// loopback interface when it names no host or every interface.
func (c Config) ProbeURL() (string, error) {
	if c.HTTPAddr == "" {
		return "", errors.New("config: HTTP_ADDR is not set, so there is no /readyz to probe")
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return "", fmt.Errorf("config: HTTP_ADDR %q: %w", c.HTTPAddr, err)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
