package commands

import (
	"context"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// describe is one subscription in a line: "#3: healthcare and STEM draws
// with a cutoff of 480 or less".
func describe(p i18n.Printer, s domain.Subscription) string {
	what := p.T("sub.every")
	if len(s.Categories) > 0 {
		names := make([]string, len(s.Categories))
		for i, c := range s.Categories {
			names[i] = catIn(p, c)
		}
		what = p.T("sub.some", "Cats", joinAnd(p, names), "Count", len(names))
	}
	if s.MaxCRS > 0 {
		what += " " + p.T("sub.max", "CRS", s.MaxCRS)
	}
	if s.Mention != "" {
		what += p.T("sub.role")
	}
	if s.Dead {
		what += " " + p.T("sub.dead", "Why", clip(s.LastError, 120))
	}
	return "#" + strconv.FormatInt(s.ID, 10) + ": " + what
}

// place is "this channel" on Discord, "this chat" elsewhere (Telegram
// channels included: people read them as chats).
func place(p i18n.Printer, r Request) string {
	if r.Caller.Platform == domain.Discord {
		return p.T("place.channel")
	}
	return p.T("place.chat")
}

func (e *Engine) subscribe(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	maxCRS, _ := r.Options.Int("max_crs")
	role := r.Options.Text("role")
	// Only a Discord server's typed role option sets a role, and never its
	// @everyone role (whose ID is the server's); the adapter checks first.
	switch {
	case role == "":
	case r.Caller.Platform != domain.Discord || r.Caller.Guild == "":
		return reply.Reply{}, invalid(p.T("arg.role.bad", "Value", clip(role, 30)))
	case role == r.Caller.Guild:
		return reply.Reply{}, invalid(p.T("sub.role.everyone"))
	}
	if r.Caller.Private {
		// A private chat's alerts are its person's own: alert keeps them
		// apart (after the channels, theirs to list and forget).
		return reply.Reply{Status: reply.StatusInvalid, Private: true, Title: p.T("sub.private"), Summary: p.T("sub.private.how")}, nil
	}
	sub, created, err := e.store.Subscribe(ctx, domain.Subscription{Platform: r.Caller.Platform, Destination: r.Caller.Destination,
		Categories: r.Options.Categories("categories"), MaxCRS: maxCRS, Mention: role, CreatedBy: r.Caller.UserID})
	if err != nil {
		return reply.Reply{}, err
	}
	id := "sub.created"
	if !created {
		id = "sub.updated"
	}
	what := strings.TrimPrefix(describe(p, sub), "#"+strconv.FormatInt(sub.ID, 10)+": ")
	return reply.Reply{Title: p.T(id, "Place", upperFirst(place(p, r)), "What", what), Private: true,
		Summary: p.T("sub.how"), Source: feedSource}, nil
}

func (e *Engine) subscriptions(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	subs, err := e.store.Subscriptions(ctx, r.Caller.Platform, r.Caller.Destination)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(subs) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("sub.none", "Place", upperFirst(place(p, r))), Private: true, Summary: p.T("sub.none.how")}, nil
	}
	rep := reply.Reply{Title: p.T("sub.list", "Place", upperFirst(place(p, r)), "N", len(subs), "Count", len(subs)), Private: true, Summary: p.T("sub.list.how")}
	for _, s := range subs {
		rep.Lines = append(rep.Lines, describe(p, s))
	}
	return rep, nil
}

func (e *Engine) unsubscribe(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	arg := strings.TrimPrefix(strings.ToLower(r.Options.Text("which")), "#")
	subs, err := e.store.Subscriptions(ctx, r.Caller.Platform, r.Caller.Destination)
	if err != nil {
		return reply.Reply{}, err
	}
	var id int64
	switch {
	case len(subs) == 0:
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("sub.none", "Place", upperFirst(place(p, r))), Summary: p.T("sub.nothing_removed")}, nil
	case arg == "all":
	case arg == "" && len(subs) == 1:
		id = subs[0].ID
	case arg == "":
		// Several: ask which, each a button, and all.
		rep := reply.Reply{Status: reply.StatusHelp, Private: true, Title: p.T("sub.which", "Place", upperFirst(place(p, r))), Summary: p.T("sub.which.how")}
		for _, s := range subs {
			n := strconv.FormatInt(s.ID, 10)
			rep.Lines = append(rep.Lines, describe(p, s))
			rep.Actions = append(rep.Actions, reply.Action{Label: "#" + n, Command: "unsubscribe", Args: n, Danger: true})
		}
		rep.Actions = append(rep.Actions, reply.Action{Label: p.T("sub.all"), Command: "unsubscribe", Args: "all", Danger: true})
		return rep, nil
	default:
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || n <= 0 {
			return reply.Reply{}, invalid(p.T("sub.bad_number", "Value", clip(arg, 20)))
		}
		id = n
	}
	n, err := e.store.Unsubscribe(ctx, r.Caller.Platform, r.Caller.Destination, id)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("sub.no_such", "ID", id, "Place", upperFirst(place(p, r)))}, nil
	}
	return reply.Reply{Title: p.T("sub.removed", "N", n, "Count", n, "Place", place(p, r)), Private: true}, nil
}
