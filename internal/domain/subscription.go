package domain

import (
	"slices"
	"time"
)

// Platforms a destination can be on.
const (
	Discord  = "discord"
	Telegram = "telegram"
)

// Subscription is a destination (a Discord channel, a Telegram chat) that
// asked for new-draw posts, optionally only some categories or cutoffs.
type Subscription struct {
	ID          int64
	Platform    string
	Destination string
	Categories  []string // sorted keys; empty = every draw
	MaxCRS      int      // 0 = any cutoff
	Mention     string   // a role to ping on Discord; never @everyone
	Priority    int      // higher is delivered first
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

// Delivery kinds.
const (
	PostNew        = "new"
	PostCorrection = "correction"
	PostAnnounce   = "announce"
)

// Delivery is one outbox row: a post of a draw to a subscription.
type Delivery struct {
	ID       int64
	Sub      Subscription
	Number   string // the draw
	Kind     string
	Revision string
	Attempts int
	Nonce    string // the same on every retry, for platforms that deduplicate
}

// Sent is a delivered post and the platform's ID for it.
type Sent struct {
	Delivery  Delivery
	MessageID string
}
