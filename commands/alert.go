package commands

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// alertStore keeps people's own draw alerts and forgets them on request.
// The SQL store has it; a store without it answers that alerts are not
// available.
type alertStore interface {
	AddAlert(ctx context.Context, a domain.Alert) (domain.Alert, bool, error)
	Alerts(ctx context.Context, platform domain.Platform, owner string) ([]domain.Alert, error)
	RemoveAlerts(ctx context.Context, platform domain.Platform, owner string, id int64) (int, error)
	Forget(ctx context.Context, platform domain.Platform, user, chat string) (domain.Forgotten, error)
}

// maxAlerts bounds one person's alerts: enough for every category twice
// over, few enough that nobody multiplies the fan-out.
const maxAlerts = 10

// offWords start the typed form of "alert off": "alert off 2", "alert
// stop all", "alerte arrêt".
var offWords = set("off", "stop", "remove", "delete", "cancel", "arret", "arreter", "stopper", "supprimer", "desactiver", "annuler")

// allWords name every alert: "alert off all", "alerte arrêt toutes".
var allWords = set("all", "every", "tout", "toutes", "tous")

// personal reports whether c is a person in a private chat or DM with the
// bot, where their own alerts are set up.
func personal(c Caller) bool {
	return c.Private && c.Platform != "" && c.UserID != "" && c.Destination != ""
}

// notPersonal answers an alert command outside a private chat: where to
// send it instead, and /subscribe for a channel's managers.
func notPersonal(p i18n.Printer, r Request) (reply.Reply, error) {
	if r.Caller.Platform == "" {
		return reply.Reply{Status: reply.StatusInvalid, Private: true, Title: p.T("alert.platform"), Summary: p.T("alert.platform.how")}, nil
	}
	return reply.Reply{Status: reply.StatusInvalid, Private: true, Title: p.T("alert.private"), Summary: p.T("alert.private.how")}, nil
}

func (e *Engine) alertStore() (alertStore, error) {
	st, ok := e.store.(alertStore)
	if !ok {
		return nil, errors.New("commands: the store keeps no alerts")
	}
	return st, nil
}

// alert sets up the caller's own alert in their private chat, or with
// "off" removes one or all of theirs.
func (e *Engine) alert(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	if !personal(r.Caller) {
		return notPersonal(p, r)
	}
	st, err := e.alertStore()
	if err != nil {
		return reply.Reply{}, err
	}
	if off := r.Options.Text("off"); off != "" {
		return e.alertOff(ctx, r, st, off)
	}
	maxCRS, _ := r.Options.Int("max_crs")
	cats := r.Options.Categories("categories")
	mine, err := st.Alerts(ctx, r.Caller.Platform, r.Caller.UserID)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(mine) >= maxAlerts && !hasAlert(mine, r.Caller.Destination, cats, maxCRS) {
		return reply.Reply{Status: reply.StatusInvalid, Private: true, Title: p.T("alert.too_many", "N", maxAlerts, "Count", maxAlerts),
			Summary: p.T("alert.too_many.how")}, nil
	}
	a, created, err := st.AddAlert(ctx, domain.Alert{Platform: r.Caller.Platform, Owner: r.Caller.UserID, Destination: r.Caller.Destination,
		Categories: cats, MaxCRS: maxCRS, Lang: string(p.Lang())})
	if err != nil {
		return reply.Reply{}, err
	}
	id := "alert.created"
	if !created {
		id = "alert.updated"
	}
	return reply.Reply{Title: p.T(id, "What", alertWhat(p, a)), Private: true, Summary: p.T("alert.how", "Stop", stopCommand(r.Caller.Platform)),
		Source: feedSource}, nil
}

// hasAlert reports whether the caller already has this very alert (asking
// again updates it, so the limit does not apply).
func hasAlert(mine []domain.Alert, dest string, cats []domain.Key, maxCRS int) bool {
	key := domain.JoinKeys(sortedKeys(cats))
	for _, a := range mine {
		if a.Destination == dest && a.MaxCRS == maxCRS && domain.JoinKeys(a.Categories) == key {
			return true
		}
	}
	return false
}

func sortedKeys(ks []domain.Key) []domain.Key {
	out := slices.Clone(ks)
	slices.Sort(out)
	return slices.Compact(out) // as the store collapses them
}

// alertWhat is an alert in words: "healthcare draws with a cutoff of 470
// or less".
func alertWhat(p i18n.Printer, a domain.Alert) string {
	s := describe(p, domain.Subscription{ID: a.ID, Categories: a.Categories, MaxCRS: a.MaxCRS, Dead: a.Dead, LastError: a.LastError})
	return strings.TrimPrefix(s, "#"+strconv.FormatInt(a.ID, 10)+": ")
}

// stopCommand is how a person types "alert off" on their platform: Telegram
// makes /alert_off a link that sends it.
func stopCommand(platform domain.Platform) string {
	if platform == domain.Telegram {
		return "/alert_off"
	}
	return "/alert off"
}

// alertOff removes the alert a typed "off [n|all]" names, or asks which.
func (e *Engine) alertOff(ctx context.Context, r Request, st alertStore, off string) (reply.Reply, error) {
	p := r.p
	// Typed: "off", "off 2", "off all". Discord's off option holds just
	// "2" or "all". Anything else is words no other argument took
	// ("alert astrology").
	ws := normalize(off)
	switch {
	case len(ws) > 0 && offWords[ws[0].text]:
		ws = ws[1:]
	case len(ws) == 1 && (allWords[ws[0].text] || isNumber(strings.TrimPrefix(ws[0].text, "#"))):
	default:
		first, _, _ := strings.Cut(strings.TrimSpace(off), " ")
		return reply.Reply{}, invalid(p.T(categoryBad, "Value", clip(first, 40)))
	}
	arg := ""
	if len(ws) > 1 {
		return reply.Reply{}, invalid(p.T("alert.bad_number", "Value", clip(off, 20)))
	}
	if len(ws) == 1 {
		arg = strings.TrimPrefix(ws[0].text, "#")
	}
	mine, err := st.Alerts(ctx, r.Caller.Platform, r.Caller.UserID)
	if err != nil {
		return reply.Reply{}, err
	}
	var id int64
	switch {
	case len(mine) == 0:
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("alert.none"), Summary: p.T("sub.nothing_removed")}, nil
	case allWords[arg]:
	case arg == "" && len(mine) == 1:
		id = mine[0].ID
	case arg == "":
		rep := reply.Reply{Status: reply.StatusHelp, Private: true, Title: p.T("alert.which"), Summary: p.T("sub.which.how")}
		for _, a := range mine {
			n := strconv.FormatInt(a.ID, 10)
			rep.Lines = append(rep.Lines, "#"+n+": "+alertWhat(p, a))
			rep.Actions = append(rep.Actions, reply.Action{Label: "#" + n, Command: "alert", Args: "off " + n, Danger: true})
		}
		rep.Actions = append(rep.Actions, reply.Action{Label: p.T("sub.all"), Command: "alert", Args: "off all", Danger: true})
		return rep, nil
	default:
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || n <= 0 {
			return reply.Reply{}, invalid(p.T("alert.bad_number", "Value", clip(off, 20)))
		}
		id = n
	}
	n, err := st.RemoveAlerts(ctx, r.Caller.Platform, r.Caller.UserID, id)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("alert.no_such", "ID", id)}, nil
	}
	return reply.Reply{Title: p.T("alert.removed", "N", n, "Count", n), Private: true}, nil
}

// alerts lists the caller's own alerts.
func (e *Engine) alerts(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	if !personal(r.Caller) {
		return notPersonal(p, r)
	}
	st, err := e.alertStore()
	if err != nil {
		return reply.Reply{}, err
	}
	mine, err := st.Alerts(ctx, r.Caller.Platform, r.Caller.UserID)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(mine) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("alert.none"), Summary: p.T("alert.none.how")}, nil
	}
	rep := reply.Reply{Title: p.T("alert.list", "N", len(mine), "Count", len(mine)), Private: true,
		Summary: p.T("alert.list.how", "Stop", stopCommand(r.Caller.Platform))}
	for _, a := range mine {
		rep.Lines = append(rep.Lines, "#"+strconv.FormatInt(a.ID, 10)+": "+alertWhat(p, a))
	}
	return rep, nil
}

// forget deletes everything the bot holds about the caller and says what.
func (e *Engine) forget(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	if r.Caller.Platform == "" || r.Caller.UserID == "" {
		return reply.Reply{Status: reply.StatusInvalid, Private: true, Title: p.T("forget.nobody"), Summary: p.T("forget.nobody.how")}, nil
	}
	st, err := e.alertStore()
	if err != nil {
		return reply.Reply{}, err
	}
	chat := ""
	if r.Caller.Private {
		chat = r.Caller.Destination
	}
	f, err := st.Forget(ctx, r.Caller.Platform, r.Caller.UserID, chat)
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{Title: p.T("forget.done"), Summary: p.T("forget.body"), Private: true}
	if !r.Caller.Private {
		return rep, nil // what they had is theirs to see, not the group's
	}
	add := func(ok bool, id string, args ...any) {
		if ok {
			rep.Lines = append(rep.Lines, p.T(id, args...))
		}
	}
	add(f.Alerts > 0, "forget.alerts", "N", f.Alerts, "Count", f.Alerts)
	add(f.Deliveries > 0, "forget.deliveries", "N", f.Deliveries, "Count", f.Deliveries)
	add(f.Settings > 0, "forget.settings")
	add(f.CRSProfile, "forget.crs_profile")
	add(f.CRSSession, "forget.crs_session")
	add(f.Mentions > 0, "forget.mentions", "N", f.Mentions, "Count", f.Mentions)
	add(f.Inbox > 0, "forget.inbox", "N", f.Inbox, "Count", f.Inbox)
	if len(rep.Lines) == 0 {
		rep.Lines = append(rep.Lines, p.T("forget.nothing"))
	}
	return rep, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 63)
	return err == nil
}
