package commands

import (
	"context"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"regexp"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

var roleMention = regexp.MustCompile(`^<@&(\d{1,20})>$`)

// needDestination refuses subscription commands outside a channel or chat.
func needDestination(r Request) *reply.Reply {
	if r.Caller.Platform == "" || r.Caller.Destination == "" {
		rep := invalid(r.Command, "Subscriptions are for Discord channels and Telegram groups and channels: run this command there.")
		return &rep
	}
	return nil
}

func refuse(r Request, why string) reply.Reply {
	return reply.Reply{Status: reply.StatusInvalid, Command: r.Command, Private: true, Title: "Not allowed", Summary: why}
}

// subscriptionFilter reads "[categories…] [max_crs] [<@&role>]".
func subscriptionFilter(cmd, args string) (cats []string, maxCRS int, mention string, bad *reply.Reply) {
	words := strings.FieldsFunc(strings.ToLower(args), func(r rune) bool { return r == ' ' || r == ',' })
	for i := 0; i < len(words); i++ {
		w := words[i]
		if m := roleMention.FindStringSubmatch(w); m != nil {
			mention = m[1]
			continue
		}
		num := strings.TrimLeft(w, "<=≤max:")
		if n, err := strconv.Atoi(num); err == nil {
			if n < 1 || n > 1200 || maxCRS != 0 {
				rep := invalid(cmd, fmt.Sprintf("%q is not a CRS threshold: give one number from 1 to 1200.", clip(w, 20)))
				return nil, 0, "", &rep
			}
			maxCRS = n
			continue
		}
		if w == "max" || w == "crs" || w == "under" || w == "below" {
			continue
		}
		// Two-word names first: "senior managers", "no program".
		if i+1 < len(words) {
			if key, ok := aliasKey(w + " " + words[i+1]); ok && key != all {
				cats = append(cats, key)
				i++
				continue
			}
		}
		key, ok := aliasKey(w)
		if !ok {
			_, rep := resolveCategory(cmd, w)
			return nil, 0, "", rep
		}
		if key != all {
			cats = append(cats, key)
		}
	}
	return cats, maxCRS, mention, nil
}

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
	if bad := needDestination(r); bad != nil {
		return *bad, nil
	}
	if !r.Caller.CanManage && !r.Caller.Moderator {
		return refuse(r, "Only people who can manage this channel or group can change its subscriptions. Nothing was changed."), nil
	}
	cats, maxCRS, mention, bad := subscriptionFilter(r.Command, r.Args)
	if bad != nil {
		return *bad, nil
	}
	sub, created, err := e.store.Subscribe(ctx, domain.Subscription{Platform: r.Caller.Platform, Destination: r.Caller.Destination,
		Categories: cats, MaxCRS: maxCRS, Mention: mention, CreatedBy: r.Caller.UserID})
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
	if bad := needDestination(r); bad != nil {
		return *bad, nil
	}
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
	if bad := needDestination(r); bad != nil {
		return *bad, nil
	}
	if !r.Caller.CanManage && !r.Caller.Moderator {
		return refuse(r, "Only people who can manage this channel or group can change its subscriptions. Nothing was changed."), nil
	}
	arg := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(r.Args)), "#")
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
		rep := invalid(r.Command, "This "+place(r)+" has several subscriptions: say which, or all.")
		for _, s := range subs {
			rep.Lines = append(rep.Lines, describe(s))
		}
		return rep, nil
	default:
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || n <= 0 {
			return invalid(r.Command, fmt.Sprintf("%q is not a subscription number; see subscriptions.", clip(arg, 20))), nil
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
