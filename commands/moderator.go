package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// The hidden announce actions its preview's buttons send.
const (
	actionPost   = "post"
	actionCancel = "cancel"
)

// announce previews a draw's post for a moderator, with Post and Cancel
// buttons; the Post button queues it to every matching subscription.
func (e *Engine) announce(ctx context.Context, r Request) (reply.Reply, error) {
	var d domain.Draw
	if n := r.Options.Text("draw"); n == "" {
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Limit: 1})
		if err != nil || len(ds) == 0 {
			return reply.Reply{}, errors.Join(err, errors.New("no draws"))
		}
		d = ds[0]
	} else {
		var err error
		if d, err = e.store.Draw(ctx, n); errors.Is(err, domain.ErrNotFound) {
			return reply.Reply{}, invalidf("There is no draw #%s.", clip(n, 10))
		} else if err != nil {
			return reply.Reply{}, err
		}
	}
	switch r.Options.Text("action") {
	case actionCancel:
		return reply.Reply{Title: "Announcement cancelled", Private: true, Summary: fmt.Sprintf("Nothing was posted about draw #%s.", d.Number)}, nil
	case actionPost:
		n, err := e.store.Announce(ctx, d.Number)
		if err != nil {
			return reply.Reply{}, err
		}
		e.log.Info("moderator announced a draw", "draw", d.Number, "by", r.Caller.UserID, "platform", r.Caller.Platform, "destinations", n)
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
		{Label: fmt.Sprintf("Post to %d", n), Command: "announce", Args: actionPost + " " + d.Number},
		{Label: "Cancel", Command: "announce", Args: actionCancel + " " + d.Number, Danger: true},
	}
	return rep, nil
}

// tieBreakLayouts are the forms a moderator may type a tie-break in.
var tieBreakLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05Z"}

// parseTieBreak reads a moderator's tie-break time, in UTC.
func parseTieBreak(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "UTC"))
	for _, l := range tieBreakLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// drawAdd stores a draw a moderator read on IRCC's site before the feed had
// it: "draw add 438 2026-08-25 healthcare 3000 470 [2026-08-01 12:00:00]".
func (e *Engine) drawAdd(ctx context.Context, r Request) (reply.Reply, error) {
	usage := e.specs[r.Command].Usage
	num := r.Options.Text("number")
	if _, err := e.store.Draw(ctx, num); err == nil {
		return reply.Reply{}, invalidf("Draw #%s is already stored; the feed's values win.", num)
	} else if !errors.Is(err, domain.ErrNotFound) {
		return reply.Reply{}, err
	}
	dateText := r.Options.Text("date")
	date, _ := time.Parse(time.DateOnly, dateText)
	if date.After(e.now().Add(36*time.Hour)) || date.Year() < 2015 {
		return reply.Reply{}, invalid(fmt.Sprintf("%q is not a draw date (YYYY-MM-DD, not in the future).", dateText), usage)
	}
	key, _ := r.Options.Category("category")
	if key == "" || key == domain.Unmapped {
		return reply.Reply{}, invalid(fmt.Sprintf("%q is not a category or program.", clip(r.Options.Text("category"), 30)), usage)
	}
	size, _ := r.Options.Int("invitations")
	crs, _ := r.Options.Int("crs")
	d := domain.Draw{Number: num, Date: dateText, Category: key, Size: size, CRS: crs, URL: domain.RoundURL(num), Origin: domain.OriginModerator}
	d.Seq, _ = strconv.Atoi(strings.TrimRight(num, "abcdefghijklmnopqrstuvwxyz"))
	if tie := r.Options.Text("tie_break"); tie != "" {
		t, ok := parseTieBreak(tie)
		if !ok {
			return reply.Reply{}, invalid(fmt.Sprintf("%q is not a tie-break time.", clip(tie, 40)), usage)
		}
		d.TieBreak, d.TieRaw = t, tie
	}
	var err error
	d.Name, d.Version, d.Type, err = e.roundName(ctx, key)
	if err != nil {
		return reply.Reply{}, err
	}
	res, err := e.store.ApplyDraws(ctx, []domain.Draw{d}, domain.OriginModerator, d.Date)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(res.Added) == 0 {
		return reply.Reply{}, invalidf("Draw #%s was stored meanwhile; nothing was changed.", num)
	}
	e.log.Info("moderator entered a draw", "draw", num, "by", r.Caller.UserID, "platform", r.Caller.Platform, "category", key, "crs", crs, "invitations", size)
	return reply.Reply{Title: fmt.Sprintf("Draw #%s stored", num), Private: true, URL: d.URL,
		Summary: fmt.Sprintf("%s draw #%s on %s: CRS %d, %s invitations, entered by a moderator and posted to matching subscriptions. When IRCC's feed has it, the feed's values replace these and any difference is posted as a correction.",
			label(key), num, d.Date, crs, commas(size))}, nil
}

// roundName is the name, version and kind a moderator's draw of a category
// gets: the current version's name as IRCC writes it, when known.
func (e *Engine) roundName(ctx context.Context, key string) (string, int, domain.RoundType, error) {
	for _, p := range domain.ProgramKeys() {
		if p == key {
			return domain.Label(key), 0, domain.TypeProgram, nil
		}
	}
	cats, err := e.store.Categories(ctx)
	if err != nil {
		return "", 0, "", err
	}
	for _, c := range cats {
		if c.Key == key && c.Current() {
			return versionName(c), c.Version, domain.TypeCategory, nil
		}
	}
	return domain.Label(key), 0, domain.TypeCategory, nil
}
