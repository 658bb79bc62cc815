// Package commandstest builds a real engine over an in-memory store seeded
// from the embedded data, for tests and benchmarks of every layer.
package commandstest

import (
	"io"
	"log/slog"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/store/storetest"
)

// New returns an engine over storetest.Store(tb) with the clock fixed at
// storetest.Now.
func New(tb testing.TB) *commands.Engine {
	tb.Helper()
	return commands.New(storetest.Store(tb), commands.WithClock(storetest.Now),
		commands.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
}
