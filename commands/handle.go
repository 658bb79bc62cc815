package commands

import (
	"context"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"strings"
	"time"
)

// handler answers one command. A returned error is an internal failure:
// it is logged and the user gets a short apology, never the error text.
type handler func(e *Engine, ctx context.Context, r Request) (reply.Reply, error)

func handlers() map[string]handler {
	return map[string]handler{
		"eligible":   (*Engine).eligible,
		"cutoff":     (*Engine).cutoff,
		"draws":      (*Engine).draws,
		"history":    (*Engine).history,
		"pool":       (*Engine).pool,
		"match":      (*Engine).match,
		"noc":        (*Engine).noc,
		"categories": (*Engine).categories,
		"oinp":       (*Engine).oinp,
		"about":      (*Engine).about,
		"help":       (*Engine).help,
		"start":      (*Engine).help,

		"subscribe":     (*Engine).subscribe,
		"unsubscribe":   (*Engine).unsubscribe,
		"subscriptions": (*Engine).subscriptions,
		"announce":      (*Engine).announce,
		"draw":          (*Engine).drawAdd,
	}
}

// maxArgs bounds what a handler ever reads; longer input is refused.
const maxArgs = 200

// Handle answers one request. It never panics on user input. Only the
// subscription and moderator commands write, after checking the Caller.
func (e *Engine) Handle(ctx context.Context, r Request) (rep reply.Reply) {
	r.Command = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(r.Command, "/")))
	r.Args = strings.Join(strings.Fields(r.Args), " ")
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("command panicked", "command", r.Command, "panic", fmt.Sprint(p))
			rep = internalError(r.Command)
		}
		rep.Command = r.Command
	}()
	h, ok := e.handlers[r.Command]
	if !ok {
		rep, _ = e.help(ctx, r)
		rep.Status = reply.StatusHelp
		rep.Summary = fmt.Sprintf("I don't know the command %q.", clip(r.Command, 40))
		return rep
	}
	if len(r.Args) > maxArgs {
		return invalid(r.Command, "That is too long for me to read.", "Try a NOC code, a category or a short question.")
	}
	start := time.Now()
	rep, err := h(e, ctx, r)
	if err != nil {
		e.log.Error("command failed", "command", r.Command, "err", err, "took", time.Since(start))
		return internalError(r.Command)
	}
	return rep
}

// Ask answers a line of text: "/cutoff healthcare", "cutoff healthcare" or a
// free-text question such as "is 33109 eligible".
func (e *Engine) Ask(ctx context.Context, text string) reply.Reply {
	r, ok := ParseText(text)
	if !ok {
		rep, _ := e.help(ctx, r)
		rep.Status = reply.StatusHelp
		rep.Command = "help"
		if strings.TrimSpace(text) != "" {
			rep.Summary = "I didn't understand that. Here is what I can answer."
		}
		return rep
	}
	return e.Handle(ctx, r)
}

func internalError(cmd string) reply.Reply {
	return reply.Reply{Status: reply.StatusInternal, Command: cmd, Private: true, Title: "Something went wrong",
		Summary: "I couldn't look that up just now. Please try again in a moment."}
}

func invalid(cmd, summary string, lines ...string) reply.Reply {
	return reply.Reply{Status: reply.StatusInvalid, Command: cmd, Private: true, Title: "I can't use that", Summary: summary, Lines: lines}
}

// clip shortens user text quoted back in a reply.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// asOf is the "data as of" date: the last successful feed check, else the
// date the embedded snapshot was saved.
func (e *Engine) asOf(ctx context.Context) (string, error) {
	m, err := e.store.Meta(ctx)
	if err != nil {
		return "", err
	}
	if len(m.LastChecked) >= 10 {
		return m.LastChecked[:10], nil
	}
	if m.SnapshotDate != "" {
		return m.SnapshotDate, nil
	}
	return m.LatestDraw, nil
}
