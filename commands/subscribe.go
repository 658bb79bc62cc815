package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

func describe(s domain.Subscription) string {
	what := "every draw"
	if len(s.Categories) > 0 {
		names := make([]string, len(s.Categories))
		for i, c := range s.Categories {
			names[i] = domain.Label(c)
		}
		what = strings.Join(names, ", ") + " draws"
	}
	if s.MaxCRS > 0 {
		what += fmt.Sprintf(" with a cutoff of %d or less", s.MaxCRS)
	}
	if s.Mention != "" {
		what += ", pinging the chosen role"
	}
	if s.Dead {
		what += fmt.Sprintf(" (stopped: the platform refused the bot: %s)", clip(s.LastError, 120))
	}
	return fmt.Sprintf("#%d: %s", s.ID, what)
}

func (e *Engine) subscribe(ctx context.Context, r Request) (reply.Reply, error) {
	maxCRS, _ := r.Options.Int("max_crs")
	sub, created, err := e.store.Subscribe(ctx, domain.Subscription{Platform: r.Caller.Platform, Destination: r.Caller.Destination,
		Categories: r.Options.Categories("categories"), MaxCRS: maxCRS, Mention: r.Options.Text("role"), CreatedBy: r.Caller.UserID})
	if err != nil {
		return reply.Reply{}, err
	}
	verb := "Subscribed"
	if !created {
		verb = "Already subscribed; updated"
	}
	return reply.Reply{Title: "Draw alerts on", Private: true,
		Summary: fmt.Sprintf("%s: this %s will get a post for %s, as soon as IRCC publishes it.", verb, place(r), strings.TrimPrefix(describe(sub), fmt.Sprintf("#%d: ", sub.ID))),
		Lines:   []string{"See them with subscriptions; stop with unsubscribe."},
		Source:  feedSource}, nil
}

func place(r Request) string {
	if r.Caller.Platform == domain.Discord {
		return "channel"
	}
	return "chat"
}

func (e *Engine) subscriptions(ctx context.Context, r Request) (reply.Reply, error) {
	subs, err := e.store.Subscriptions(ctx, r.Caller.Platform, r.Caller.Destination)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(subs) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No subscriptions", Private: true,
			Summary: fmt.Sprintf("This %s gets no draw posts. Someone who manages it can run subscribe, e.g. subscribe healthcare 480.", place(r))}, nil
	}
	rep := reply.Reply{Title: "Draw alerts here", Private: true, Summary: fmt.Sprintf("This %s has %s.", place(r), plural(len(subs), "subscription", "subscriptions"))}
	for _, s := range subs {
		rep.Lines = append(rep.Lines, describe(s))
	}
	rep.Lines = append(rep.Lines, "Remove one with unsubscribe <number>, or all with unsubscribe all.")
	return rep, nil
}

func (e *Engine) unsubscribe(ctx context.Context, r Request) (reply.Reply, error) {
	arg := strings.TrimPrefix(strings.ToLower(r.Options.Text("which")), "#")
	subs, err := e.store.Subscriptions(ctx, r.Caller.Platform, r.Caller.Destination)
	if err != nil {
		return reply.Reply{}, err
	}
	var id int64
	switch {
	case len(subs) == 0:
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: "No subscriptions", Summary: "There was nothing to remove."}, nil
	case arg == "all":
	case arg == "" && len(subs) == 1:
		id = subs[0].ID
	case arg == "":
		err := invalid("This " + place(r) + " has several subscriptions: say which, or all.")
		for _, s := range subs {
			err.Hints = append(err.Hints, describe(s))
		}
		return reply.Reply{}, err
	default:
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || n <= 0 {
			return reply.Reply{}, invalidf("%q is not a subscription number; see subscriptions.", clip(arg, 20))
		}
		id = n
	}
	n, err := e.store.Unsubscribe(ctx, r.Caller.Platform, r.Caller.Destination, id)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: "No such subscription", Summary: fmt.Sprintf("This %s has no subscription #%d; nothing was changed.", place(r), id)}, nil
	}
	return reply.Reply{Title: "Draw alerts off", Private: true, Summary: fmt.Sprintf("Removed %s from this %s.", plural(n, "subscription", "subscriptions"), place(r))}, nil
}
