package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/eebot/eebot/internal/reply"
)

// maxArgs bounds what a handler ever reads; longer input is refused.
const maxArgs = 200

// Spec returns the command a name or alias ("start") refers to, with its
// subcommand when sub names one ("draw", "add").
func (e *Engine) Spec(name, sub string) (Spec, bool) {
	name = strings.ToLower(name)
	if s, ok := e.specs[name]; ok {
		return s, true
	}
	s, ok := e.specs[name+" "+strings.ToLower(sub)]
	return s, ok
}

// Handle answers a request whose options a platform collected as typed
// values (Discord's slash-command options). It never panics on user input.
func (e *Engine) Handle(ctx context.Context, r Request) reply.Reply {
	s, ok := e.specs[strings.ToLower(r.Command)]
	if !ok {
		return e.unknown(r.Command)
	}
	for name := range r.Options.vals {
		if a, ok := s.Arg(name); ok && a.Hidden {
			return e.finish(s, errorReply(s.invalid(fmt.Sprintf("%s has no option %q.", s.Key(), name))))
		}
	}
	return e.serve(ctx, s, r, func() (Options, error) { return s.check(r.Options) })
}

// Command answers a command typed as text: its name and the rest of the
// line ("cutoff", "healthcare"; "draw", "add 438 …"), as Telegram commands,
// console lines and the bot's own buttons send them. page is a pager's
// page, 0 for none.
func (e *Engine) Command(ctx context.Context, name, args string, page int, c Caller) reply.Reply {
	args = oneLine(args)
	first, rest, _ := strings.Cut(args, " ")
	s, ok := e.specs[strings.ToLower(name)]
	if !ok {
		if s, ok = e.specs[strings.ToLower(name+" "+first)]; ok {
			args = rest
		}
	}
	if !ok {
		for _, s := range e.specs {
			if s.Sub != "" && strings.EqualFold(s.Name, name) {
				return e.finish(s, errorReply(invalid(fmt.Sprintf("%s needs a subcommand: %s.", s.Name, s.Key()), s.Usage)))
			}
		}
		return e.unknown(name)
	}
	r := Request{Command: s.Key(), Page: page, Caller: c}
	return e.serve(ctx, s, r, func() (Options, error) {
		if len(args) > maxArgs {
			return Options{}, invalid("That is too long for me to read.", "Try a NOC code, a category or a short question.")
		}
		o, err := s.bind(args)
		if err != nil {
			return Options{}, err
		}
		return s.check(o)
	})
}

// serve checks who may run s, reads its options and runs its handler.
func (e *Engine) serve(ctx context.Context, s Spec, r Request, options func() (Options, error)) (rep reply.Reply) {
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("command panicked", "command", s.Key(), "panic", fmt.Sprint(p))
			rep = e.finish(s, errorReply(fmt.Errorf("panic: %v", p)))
		}
	}()
	if err := allowed(s, r.Caller); err != nil {
		return e.finish(s, errorReply(err))
	}
	opts, err := options()
	if err != nil {
		return e.finish(s, errorReply(err))
	}
	r.Options = opts
	start := e.now()
	rep, err = s.run(e, ctx, r)
	if err != nil {
		var shown *Error
		if !errors.As(err, &shown) {
			e.log.Error("command failed", "command", s.Key(), "err", err, "took", e.now().Sub(start))
		}
		rep = errorReply(err)
	}
	return e.finish(s, rep)
}

func (e *Engine) finish(s Spec, rep reply.Reply) reply.Reply {
	rep.Command = s.Key()
	return rep
}

// unknown answers a command name the table does not hold with the help.
func (e *Engine) unknown(name string) reply.Reply {
	rep := e.helpReply()
	rep.Status = reply.StatusHelp
	rep.Summary = fmt.Sprintf("I don't know the command %q.", clip(strings.TrimPrefix(name, "/"), 40))
	rep.Command = strings.ToLower(name)
	return rep
}

// allowed checks s's access against the caller, before any option is read.
func allowed(s Spec, c Caller) error {
	switch s.Access {
	case Managers:
		if c.Platform == "" || c.Destination == "" {
			return invalid("Subscriptions are for Discord channels and Telegram groups and channels: run this command there.")
		}
		if s.Changes && !c.CanManage && !c.Moderator {
			return forbidden("Only people who can manage this channel or group can change its subscriptions. Nothing was changed.")
		}
	case Moderators:
		if !c.Moderator {
			return forbidden("Only the bot's moderators can do that. Nothing was changed.")
		}
	}
	return nil
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
