package commands

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
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
// buttons. The buttons carry the preview's ID, and the store keeps what
// became of each preview, so Post sends the post to every matching
// subscription once: pressed again, replayed, or pressed after Cancel, it
// says what happened instead.
func (e *Engine) announce(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
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
			return reply.Reply{}, invalid(p.T("arg.draw.bad", "Value", clip(n, 10)))
		} else if err != nil {
			return reply.Reply{}, err
		}
	}
	if action := r.Options.Text("action"); action != "" {
		return e.announceAction(ctx, r, d, action)
	}
	rep, err := e.postReply(ctx, p, d, domain.PostAnnounce, "")
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
	rep.Choices = nil
	rep.Note = p.T("announce.preview", "N", n, "Count", n)
	if n == 0 {
		rep.Note = p.T("announce.preview.none")
	}
	// A draw announced before: say so, so a second announcement is a choice.
	past, err := e.store.Announcements(ctx, d.Number)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(past) > 0 {
		rep.Note += " " + p.T("announce.previous", "Number", d.Number, "When", p.Time(past[0].At), "N", past[0].Destinations, "Count", past[0].Destinations)
	}
	id, err := newPreviewID()
	if err != nil {
		return reply.Reply{}, err
	}
	if n > 0 {
		rep.Actions = append(rep.Actions, reply.Action{Label: p.T("announce.post", "N", n, "Count", n), Command: "announce", Args: actionPost + " " + d.Number + " " + id})
	}
	rep.Actions = append(rep.Actions, reply.Action{Label: p.T("announce.cancel"), Command: "announce", Args: actionCancel + " " + d.Number + " " + id, Danger: true})
	return rep, nil
}

// announceAction is a press of a preview's Post or Cancel button.
func (e *Engine) announceAction(ctx context.Context, r Request, d domain.Draw, action string) (reply.Reply, error) {
	p := r.p
	a := domain.Announcement{PreviewID: r.Options.Text("preview"), Number: d.Number, Platform: r.Caller.Platform, UserID: r.Caller.UserID, At: e.now()}
	if a.PreviewID == "" {
		if action == actionCancel {
			return reply.Reply{Title: p.T("announce.cancelled", "Number", d.Number), Private: true}, nil
		}
		// A button from before previews had IDs: it cannot tell a repeat.
		return reply.Reply{}, invalid(p.T("announce.expired"), p.T("announce.expired.how"))
	}
	post := e.store.PostAnnouncement
	if action == actionCancel {
		post = e.store.CancelAnnouncement
	}
	rec, fresh, err := post(ctx, a)
	if err != nil {
		return reply.Reply{}, err
	}
	switch {
	case fresh && rec.Cancelled:
		return reply.Reply{Title: p.T("announce.cancelled", "Number", d.Number), Private: true}, nil
	case fresh:
		e.log.Info("moderator announced a draw", "draw", d.Number, "by", a.UserID, "platform", a.Platform, "preview", a.PreviewID, "destinations", rec.Destinations)
		return reply.Reply{Title: p.T("announce.queued", "Number", d.Number, "N", rec.Destinations, "Count", rec.Destinations), Private: true}, nil
	case rec.Cancelled:
		return reply.Reply{Title: p.T("announce.was_cancelled", "Number", rec.Number), Summary: p.T("announce.again"), Private: true}, nil
	}
	e.log.Info("announcement already posted; press ignored", "draw", rec.Number, "by", a.UserID, "platform", a.Platform, "action", action,
		"preview", a.PreviewID, "posted_at", rec.At, "destinations", rec.Destinations)
	return reply.Reply{Title: p.T("announce.already", "Number", rec.Number, "N", rec.Destinations, "Count", rec.Destinations, "When", p.Time(rec.At)),
		Summary: p.T("announce.again"), Private: true}, nil
}

// newPreviewID names one preview: 64 random bits, so no two previews share
// one and nobody can guess another's.
func newPreviewID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
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
	p := r.p
	usage := p.T(e.specs[r.Command].Usage)
	num := r.Options.Text("number")
	if _, err := e.store.Draw(ctx, num); err == nil {
		return reply.Reply{}, invalid(p.T("drawadd.stored", "Number", num))
	} else if !errors.Is(err, domain.ErrNotFound) {
		return reply.Reply{}, err
	}
	dateText := r.Options.Text("date")
	date, _ := time.Parse(time.DateOnly, dateText)
	if date.After(e.now().Add(36*time.Hour)) || date.Year() < 2015 {
		return reply.Reply{}, invalid(p.T("arg.date.bad", "Value", dateText), usage)
	}
	key, _ := r.Options.Category("category")
	if key == "" || key == domain.Unmapped {
		return reply.Reply{}, invalid(p.T("arg.category.program.bad", "Value", clip(r.Options.Text("category"), 30)), usage)
	}
	size, _ := r.Options.Int("invitations")
	crs, _ := r.Options.Int("crs")
	d := domain.Draw{Number: num, Date: dateText, Category: key, Size: size, CRS: crs, URL: domain.RoundURL(num), Origin: domain.OriginModerator}
	d.Seq, _ = strconv.Atoi(strings.TrimRight(num, "abcdefghijklmnopqrstuvwxyz"))
	if tie := r.Options.Text("tie_break"); tie != "" {
		t, ok := parseTieBreak(tie)
		if !ok {
			return reply.Reply{}, invalid(p.T("arg.tie_break.bad", "Value", clip(tie, 40)), usage)
		}
		d.TieBreak, d.TieRaw = t, tie
	}
	var err error
	d.Name, d.Version, d.Type, err = e.moderatorRound(ctx, key)
	if err != nil {
		return reply.Reply{}, err
	}
	res, err := e.store.ApplyDraws(ctx, []domain.Draw{d}, domain.OriginModerator, d.Date)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(res.Added) == 0 {
		return reply.Reply{}, invalid(p.T("drawadd.meanwhile", "Number", num))
	}
	e.log.Info("moderator entered a draw", "draw", num, "by", r.Caller.UserID, "platform", r.Caller.Platform, "category", key, "crs", crs, "invitations", size)
	return reply.Reply{Title: p.T("drawadd.done", "Number", num), Private: true, URL: d.URL,
		Summary: p.T("drawadd.body", "Cat", catTitle(p, key), "Number", num, "Date", p.Date(d.Date), "CRS", p.Num(crs), "Invitations", countInvitations(p, size))}, nil
}

// moderatorRound is the name, version and kind a moderator's draw of a category
// gets: the current version's name as IRCC writes it, when known.
func (e *Engine) moderatorRound(ctx context.Context, key domain.Key) (string, int, domain.RoundType, error) {
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
			return cmp.Or(c.DrawName, fmt.Sprintf("%s (version %d, number inferred)", c.Name, c.Version)), c.Version, domain.TypeCategory, nil
		}
	}
	return domain.Label(key), 0, domain.TypeCategory, nil
}
