// Package commands answers the bot's commands. Handlers are pure functions of
// a Request and the store: they return a Reply and know nothing of Discord,
// Telegram or the console.
package commands

import (
	"log/slog"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// Engine routes requests to command handlers.
type Engine struct {
	store    domain.Store
	now      func() time.Time
	log      *slog.Logger
	handlers map[string]handler
}

// Option configures an Engine.
type Option func(*Engine)

// WithClock sets the clock used for "how long ago" answers (tests pin it).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithLogger sets the logger for failures that the user is not shown.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// New returns an Engine reading from s.
func New(s domain.Store, opts ...Option) *Engine {
	e := &Engine{store: s, now: time.Now, log: slog.Default(), handlers: handlers()}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Choice is an autocomplete or menu entry: Name is shown, Value is sent back.
type Choice struct {
	Name  string
	Value string
}
