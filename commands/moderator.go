package commands

import (
	"context"
	"errors"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/ircc"
)

var drawNumber = regexp.MustCompile(`^[0-9]{1,5}[a-z]?$`)

const notModerator = "Only the bot's moderators can do that. Nothing was changed."

// announce previews a draw's post for a moderator, with Post and Cancel
// buttons; "announce post N" queues it to every matching subscription.
func (e *Engine) announce(ctx context.Context, r Request) (reply.Reply, error) {
	if !r.Caller.Moderator {
		return refuse(r, notModerator), nil
	}
	f := strings.Fields(strings.ToLower(r.Args))
	action := "preview"
	if len(f) > 0 && (f[0] == "post" || f[0] == "cancel") {
		action, f = f[0], f[1:]
	}
	var d domain.Draw
	var err error
	if len(f) == 0 {
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Limit: 1})
		if err != nil || len(ds) == 0 {
			return reply.Reply{}, errors.Join(err, errors.New("no draws"))
		}
		d = ds[0]
	} else {
		n := strings.TrimPrefix(f[0], "#")
		if d, err = e.store.Draw(ctx, n); errors.Is(err, domain.ErrNotFound) {
			return invalid(r.Command, fmt.Sprintf("There is no draw #%s.", clip(n, 10))), nil
		} else if err != nil {
			return reply.Reply{}, err
		}
	}
	switch action {
	case "cancel":
		return reply.Reply{Title: "Announcement cancelled", Private: true, Summary: fmt.Sprintf("Nothing was posted about draw #%s.", d.Number)}, nil
	case "post":
		n, err := e.store.Announce(ctx, d.Number)
		if err != nil {
			return reply.Reply{}, err
		}
		e.queued()
		e.log.Info("moderator announced a draw", "draw", d.Number, "by", r.Caller.Platform+":"+r.Caller.UserID, "destinations", n)
		return reply.Reply{Title: "Announcement queued", Private: true,
			Summary: fmt.Sprintf("Draw #%s is queued to %s.", d.Number, plural(n, "destination", "destinations"))}, nil
	}
	rep, err := e.postReply(ctx, d, domain.PostAnnounce)
	if err != nil {
		return reply.Reply{}, err
	}
	subs, err := e.store.Subscriptions(ctx, "", "")
	if err != nil {
		return reply.Reply{}, err
	}
	n := 0
	for _, s := range subs {
		if !s.Dead && s.Matches(d) {
			n++
		}
	}
	rep.Private = true
	rep.Note = fmt.Sprintf("Preview. Post sends this to %s.", plural(n, "subscribed destination", "subscribed destinations"))
	rep.Actions = []reply.Action{
		{Label: fmt.Sprintf("Post to %d", n), Command: "announce", Args: "post " + d.Number},
		{Label: "Cancel", Command: "announce", Args: "cancel " + d.Number, Danger: true},
	}
	return rep, nil
}

// drawAdd stores a draw a moderator read on IRCC's site before the feed had
// it: "draw add 438 2026-08-25 healthcare 3000 470 [2026-08-01 12:00:00]".
func (e *Engine) drawAdd(ctx context.Context, r Request) (reply.Reply, error) {
	if !r.Caller.Moderator {
		return refuse(r, notModerator), nil
	}
	usage := "Usage: draw add <number> <YYYY-MM-DD> <category> <invitations> <CRS> [tie-break YYYY-MM-DD HH:MM:SS UTC]"
	f := strings.Fields(r.Args)
	if len(f) > 0 && strings.EqualFold(f[0], "add") {
		f = f[1:]
	}
	if len(f) < 5 {
		return invalid(r.Command, usage), nil
	}
	num := strings.ToLower(strings.TrimPrefix(f[0], "#"))
	if !drawNumber.MatchString(num) {
		return invalid(r.Command, fmt.Sprintf("%q is not a draw number.", clip(f[0], 10)), usage), nil
	}
	if _, err := e.store.Draw(ctx, num); err == nil {
		return invalid(r.Command, fmt.Sprintf("Draw #%s is already stored; the feed's values win.", num)), nil
	} else if !errors.Is(err, domain.ErrNotFound) {
		return reply.Reply{}, err
	}
	date, err := time.Parse("2006-01-02", f[1])
	if err != nil || date.After(e.now().Add(36*time.Hour)) || date.Year() < 2015 {
		return invalid(r.Command, fmt.Sprintf("%q is not a draw date (YYYY-MM-DD, not in the future).", clip(f[1], 12)), usage), nil
	}
	// The category may be two words ("senior managers"); numbers follow it.
	rest := f[2:]
	catWords := 1
	if len(rest) >= 4 {
		if _, err := strconv.Atoi(strings.ReplaceAll(rest[1], ",", "")); err != nil {
			catWords = 2
		}
	}
	key, ok := aliasKey(strings.Join(rest[:catWords], " "))
	if !ok || key == all || key == domain.Unmapped {
		return invalid(r.Command, fmt.Sprintf("%q is not a category or program.", clip(strings.Join(rest[:catWords], " "), 30)), usage), nil
	}
	rest = rest[catWords:]
	if len(rest) < 2 {
		return invalid(r.Command, usage), nil
	}
	size, err1 := strconv.Atoi(strings.ReplaceAll(rest[0], ",", ""))
	crs, err2 := strconv.Atoi(rest[1])
	if err1 != nil || err2 != nil || size < 1 || size > 100000 || crs < 1 || crs > 1200 {
		return invalid(r.Command, "Invitations must be 1 to 100,000 and the CRS cutoff 1 to 1200.", usage), nil
	}
	d := domain.Draw{Number: num, Date: f[1], Category: key, Size: size, CRS: crs, URL: ircc.RoundURL(num), Source: domain.SourceModerator}
	d.Seq, _ = strconv.Atoi(strings.TrimRight(num, "abcdefghijklmnopqrstuvwxyz"))
	if tie := strings.Join(rest[2:], " "); tie != "" {
		t, ok := ircc.ParseTime(tie, d.Date)
		if !ok {
			return invalid(r.Command, fmt.Sprintf("%q is not a tie-break time.", clip(tie, 40)), usage), nil
		}
		d.TieBreak, d.TieRaw = t, tie
	}
	d.Name, d.Version, d.Kind, err = e.roundName(ctx, key)
	if err != nil {
		return reply.Reply{}, err
	}
	res, err := e.store.ApplyDraws(ctx, []domain.Draw{d}, domain.SourceModerator, d.Date)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(res.Added) == 0 {
		return invalid(r.Command, fmt.Sprintf("Draw #%s was stored meanwhile; nothing was changed.", num)), nil
	}
	e.queued()
	e.log.Info("moderator entered a draw", "draw", num, "by", r.Caller.Platform+":"+r.Caller.UserID, "category", key, "crs", crs, "invitations", size)
	return reply.Reply{Title: fmt.Sprintf("Draw #%s stored", num), Private: true, URL: d.URL,
		Summary: fmt.Sprintf("%s draw #%s on %s: CRS %d, %s invitations, entered by a moderator and posted to matching subscriptions. When IRCC's feed has it, the feed's values replace these and any difference is posted as a correction.",
			label(key), num, d.Date, crs, commas(size))}, nil
}

// roundName is the name, version and kind a moderator's draw of a category
// gets: the current version's name as IRCC writes it, when known.
func (e *Engine) roundName(ctx context.Context, key string) (string, int, domain.Kind, error) {
	for _, p := range domain.ProgramKeys() {
		if p == key {
			return domain.Label(key), 0, domain.KindProgram, nil
		}
	}
	cats, err := e.store.Categories(ctx)
	if err != nil {
		return "", 0, "", err
	}
	for _, c := range cats {
		if c.Key == key && c.Current() {
			return versionName(c), c.Version, domain.KindCategory, nil
		}
	}
	return domain.Label(key), 0, domain.KindCategory, nil
}
