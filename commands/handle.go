package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// maxArgs bounds what a handler ever reads; longer input is refused.
// maxForm is the bound for a form (Spec.Form): a full crs profile line is
// about 250 characters.
const (
	maxArgs = 200
	maxForm = 400
)

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
func (e *Engine) Handle(ctx context.Context, r Request) (rep reply.Reply) {
	ctx, done := e.observe(ctx, r.Caller)
	defer done(&rep)
	p := e.printer(ctx, r.Caller)
	s, ok := e.specs[strings.ToLower(r.Command)]
	if !ok {
		return e.unknown(p, r.Command)
	}
	for name := range r.Options.vals {
		if a, ok := s.Arg(name); ok && a.Hidden {
			return e.finish(p, s, errorReply(p, s.invalid(p, p.T("arg.unknown", "Command", s.Key(), "Value", name))))
		}
	}
	return e.serve(ctx, p, s, r, func() (Options, error) { return s.check(r.Options, p) })
}

// Command answers a command typed as text: its name and the rest of the
// line ("cutoff", "healthcare"; "draw", "add 438 …"), as Telegram commands,
// console lines and the bot's own buttons send them. page is a pager's
// page, 0 for none.
func (e *Engine) Command(ctx context.Context, name, args string, page int, c Caller) (rep reply.Reply) {
	ctx, done := e.observe(ctx, c)
	defer done(&rep)
	p := e.printer(ctx, c)
	args = oneLine(args)
	first, rest, _ := strings.Cut(args, " ")
	s, ok := e.specs[strings.ToLower(name)]
	if !ok {
		if s, ok = e.specs[strings.ToLower(name+" "+first)]; ok {
			args = rest
		}
	}
	if !ok {
		for _, s := range e.list {
			if s.Sub != "" && strings.EqualFold(s.Name, name) {
				return e.finish(p, s, errorReply(p, invalid(p.T("arg.subcommand", "Command", s.Name, "Key", s.Key()), p.T(s.Usage))))
			}
		}
		return e.unknown(p, name)
	}
	r := Request{Command: s.Key(), Page: page, Caller: c}
	return e.serve(ctx, p, s, r, func() (Options, error) {
		if len(args) > maxArgs && !(s.Form && len(args) <= maxForm) {
			return Options{}, invalid(p.T("arg.too_long"), p.T("arg.too_long.hint"))
		}
		o, err := s.bind(args, p)
		if err != nil {
			return Options{}, err
		}
		return s.check(o, p)
	})
}

// printer picks the language of an answer, first that applies: the one the
// chat's managers chose (language fr); the question's own (Ask sets the
// caller's locale from it); the platform's locale for the person (Discord's
// interaction locale, Telegram's language_code); the engine's default (the
// console's -lang or LANG).
func (e *Engine) printer(ctx context.Context, c Caller) i18n.Printer {
	if c.Platform != "" && c.Destination != "" {
		lang, err := e.store.ChatLanguage(ctx, c.Platform, c.Destination)
		if err != nil {
			e.log.Error("chat language", "err", err)
		}
		if l, ok := i18n.Parse(lang); ok {
			return e.words.Printer(l)
		}
	}
	if l, ok := i18n.Parse(c.Locale); ok {
		return e.words.Printer(l)
	}
	return e.words.Printer(e.lang)
}

// serve checks who may run s, reads its options and runs its handler.
func (e *Engine) serve(ctx context.Context, p i18n.Printer, s Spec, r Request, options func() (Options, error)) (rep reply.Reply) {
	defer func() {
		if x := recover(); x != nil {
			e.log.Error("command panicked", "command", s.Key(), "panic", fmt.Sprint(x))
			rep = e.finish(p, s, errorReply(p, fmt.Errorf("panic: %v", x)))
		}
	}()
	if err := allowed(p, s, r.Caller); err != nil {
		return e.finish(p, s, errorReply(p, err))
	}
	opts, err := options()
	if err != nil {
		return e.finish(p, s, errorReply(p, err))
	}
	r.Options, r.p = opts, p
	start := e.now()
	rep, err = s.run(e, ctx, r)
	if err != nil {
		var shown *Error
		if !errors.As(err, &shown) {
			e.log.Error("command failed", "command", s.Key(), "err", err, "took", e.now().Sub(start))
		}
		rep = errorReply(p, err)
	}
	return e.finish(p, s, rep)
}

// finish stamps a reply with its command and language, and makes its
// suggestions (at most five) buttons, so nobody has to retype them.
func (e *Engine) finish(p i18n.Printer, s Spec, rep reply.Reply) reply.Reply {
	rep.Command = s.Key()
	rep.Lang = string(p.Lang())
	if len(rep.Actions) == 0 {
		for _, c := range rep.Choices[:min(len(rep.Choices), 5)] {
			cmd, args, _ := strings.Cut(c, " ")
			rep.Actions = append(rep.Actions, reply.Action{Label: c, Command: cmd, Args: args})
		}
	}
	return rep
}

// unknown answers a command name the table does not hold with the help.
func (e *Engine) unknown(p i18n.Printer, name string) reply.Reply {
	rep := e.helpReply(p)
	rep.Status = reply.StatusHelp
	rep.Title = p.T("error.unknown_command", "Value", clip(strings.TrimPrefix(name, "/"), 40))
	rep.Command = strings.ToLower(name)
	rep.Lang = string(p.Lang())
	return rep
}

// allowed checks s's access against the caller, before any option is read.
func allowed(p i18n.Printer, s Spec, c Caller) error {
	switch s.Access {
	case Managers:
		if c.Platform == "" || c.Destination == "" {
			return &Error{Code: CodeInvalid, Title: p.T("access.place"), Message: p.T("access.place.how")}
		}
		if s.Changes && !c.CanManage && !c.Moderator {
			return &Error{Code: CodeForbidden, Title: p.T("access.manage"), Message: p.T("access.unchanged")}
		}
	case Moderators:
		if !c.Moderator {
			return &Error{Code: CodeForbidden, Title: p.T("access.moderator"), Message: p.T("access.unchanged")}
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
