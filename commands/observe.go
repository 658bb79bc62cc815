package commands

import (
	"context"
	"time"

	"github.com/eebot/eebot/internal/reply"
)

// Observer is told of every answer the engine gives: the platform asked
// ("console" when the Caller names none), the command's key ("unknown" for
// a name the table does not hold, so typed text never becomes a label), the
// reply's outcome (ok, not_found, invalid, help, internal) and how long the
// engine took. It is called on the answering goroutine: keep it cheap (a
// metrics counter).
type Observer func(platform, command, outcome string, took time.Duration)

// WithObserver sets the engine's Observer.
func WithObserver(o Observer) Option { return func(e *Engine) { e.observer = o } }

type observingKey struct{}

// observe starts timing an answer for the Observer; done reports it. An
// answer given inside another (Ask routing to Command) is reported once,
// by the outer call.
func (e *Engine) observe(ctx context.Context, c Caller) (context.Context, func(*reply.Reply)) {
	if e.observer == nil || ctx.Value(observingKey{}) != nil {
		return ctx, func(*reply.Reply) {}
	}
	start := time.Now()
	return context.WithValue(ctx, observingKey{}, true), func(rep *reply.Reply) {
		platform := string(c.Platform)
		if platform == "" {
			platform = "console"
		}
		command := rep.Command
		if s, ok := e.specs[command]; ok {
			command = s.Key()
		} else {
			command = "unknown"
		}
		e.observer(platform, command, outcome(rep.Status), time.Since(start))
	}
}

// outcome names a reply status for the Observer.
func outcome(s reply.Status) string {
	switch s {
	case reply.StatusOK:
		return "ok"
	case reply.StatusNotFound:
		return "not_found"
	case reply.StatusInvalid:
		return "invalid"
	case reply.StatusHelp:
		return "help"
	case reply.StatusInternal:
		return "internal"
	}
	return "other"
}
