package main

import (
	"context"
	"log/slog"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/config"
	"github.com/eebot/eebot/internal/store"
)

// runPlatforms runs every configured platform until ctx is cancelled or one
// fails fatally. The Discord and Telegram adapters are wired in here.
func runPlatforms(ctx context.Context, cfg config.Config, eng *commands.Engine, db *store.DB, sender *broadcast.Sender, log *slog.Logger) int {
	log.Error("platform adapters are not built into this binary yet")
	return 1
}
