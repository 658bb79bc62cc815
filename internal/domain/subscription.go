package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Platform is a chat platform a destination is on.
type Platform string

// The platforms the bot serves.
const (
	Discord  Platform = "discord"
	Telegram Platform = "telegram"
)

// Destination is a place posts go: a Discord channel, a Telegram chat.
type Destination struct {
	Platform Platform
	ID       string
}

// PostKind says why a post of a draw is sent.
type PostKind string

// Post kinds.
const (
	PostNew        PostKind = "new"        // a draw first seen
	PostCorrection PostKind = "correction" // a posted draw whose values changed
	PostAnnounce   PostKind = "announce"   // a moderator's push
)

// Subscription is a destination (a Discord channel, a Telegram chat) that
// asked for new-draw posts, optionally only some categories or cutoffs.
type Subscription struct {
	ID          int64
	Platform    Platform
	Destination string
	Categories  []Key  // sorted; empty = every draw
	MaxCRS      int    // 0 = any cutoff
	Mention     string // a role to ping on Discord; never @everyone
	Priority    int    // higher is delivered first
	CreatedBy   string
	CreatedAt   time.Time
	Dead        bool // the platform refused it repeatedly (bot removed, channel gone)
	LastError   string
}

// Matches reports whether a draw is one this subscription wants.
func (s Subscription) Matches(d Draw) bool {
	if len(s.Categories) > 0 && !slices.Contains(s.Categories, d.Category) {
		return false
	}
	return s.MaxCRS == 0 || d.CRS <= s.MaxCRS
}

// Delivery is one outbox row: a post of a draw to a subscription.
type Delivery struct {
	ID       int64
	Sub      Subscription
	Number   string // the draw
	Kind     PostKind
	Revision string
	Attempts int
	Nonce    string // the same on every retry, for platforms that deduplicate
	Before   string // a correction's old values, as Changes writes them
	Lang     string // the language the destination's managers chose; "" for the default
	// MaybeSent: an earlier attempt got no clear answer, so the post may
	// be at its destination already; the sender retries it only once.
	MaybeSent bool
}

// Changes writes the values of old that differ in new, for a correction's
// post: "crs=469;size=2850". Only what a reader sees is compared.
func Changes(old, new Draw) string {
	var parts []string
	add := func(k, o, n string) {
		if o != n {
			parts = append(parts, k+"="+o)
		}
	}
	add("date", old.Date, new.Date)
	add("category", string(old.Category), string(new.Category))
	add("crs", strconv.Itoa(old.CRS), strconv.Itoa(new.CRS))
	add("size", strconv.Itoa(old.Size), strconv.Itoa(new.Size))
	if !old.TieBreak.Equal(new.TieBreak) {
		parts = append(parts, "tie="+old.TieBreak.UTC().Format(time.RFC3339))
	}
	return strings.Join(parts, ";")
}

// ParseChanges reads what Changes wrote.
func ParseChanges(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

// Sent is a delivered post and the platform's ID for it.
type Sent struct {
	Delivery  Delivery
	MessageID string
}

// Announcement is what became of one preview of a moderator's post: posted
// (once, whatever presses follow) or cancelled.
type Announcement struct {
	PreviewID    string
	Number       string // the draw
	Cancelled    bool
	Destinations int // posts the Post press queued
	Platform     Platform
	UserID       string    // who pressed
	At           time.Time // when
}

// AlertPriority is a personal alert's subscription priority: below every
// channel's (0 unless an operator says otherwise), so the outbox claim,
// which serves higher priorities first, sends a draw to channels and
// groups before it sends it to people.
const AlertPriority = -1

// Personal reports whether the subscription is a person's own alert (set
// up with /alert in a private chat or DM) rather than a channel's or a
// group's. Only personal alerts have AlertPriority.
func (s Subscription) Personal() bool { return s.Priority == AlertPriority }

// Alert is a person's own draw alert: a subscription of their private
// chat or DM, which they set up and alone may list or remove.
type Alert struct {
	ID          int64
	Platform    Platform
	Owner       string // the person's platform user ID
	Destination string // their private chat (Telegram) or DM channel (Discord)
	Categories  []Key  // sorted; empty = every draw
	MaxCRS      int    // 0 = any cutoff
	Lang        string // the language of its posts; "" for the default
	CreatedAt   time.Time
	Dead        bool // the platform refused it repeatedly (the person blocked the bot)
	LastError   string
}

// Forgotten says what Forget deleted about a person.
type Forgotten struct {
	Alerts     int  // personal alerts, with their queued and sent posts
	Deliveries int  // outbox rows of those alerts
	Settings   int  // chat settings (the language of their private chat)
	CRSProfile bool // the saved crs profile
	CRSSession bool // guided crs answers in progress
	Mentions   int  // other rows that named them (who set up a channel's subscription, pressed a moderator's button) and now do not
	Inbox      int  // received messages kept for a restart
}
