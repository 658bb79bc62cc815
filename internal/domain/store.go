package domain

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Store look-ups that match nothing.
var ErrNotFound = errors.New("not found")

// Store is what the engine and the poller read and write; the sender uses
// the outbox part of the store through its own interface.
type Store interface {
	// Draws returns draws newest first.
	Draws(ctx context.Context, f DrawFilter) ([]Draw, error)
	// CountDraws counts the draws of one category key ("" for all).
	CountDraws(ctx context.Context, category Key) (int, error)
	// CountDrawsIn counts the draws f selects, whatever its Limit and Offset.
	CountDrawsIn(ctx context.Context, f DrawFilter) (int, error)
	// DrawDates returns the dates of the draws f selects, in its order.
	DrawDates(ctx context.Context, f DrawFilter) ([]string, error)
	// SummarizeDraws adds up the draws f selects, whatever its Limit,
	// Offset and order.
	SummarizeDraws(ctx context.Context, f DrawFilter) (DrawSummary, error)
	// LatestDraws returns the newest draw of each of keys that has one.
	LatestDraws(ctx context.Context, keys []Key) (map[Key]Draw, error)
	// Draw returns one draw by number ("91a").
	Draw(ctx context.Context, number string) (Draw, error)
	// Distributions returns the newest distinct pool snapshots, newest first.
	Distributions(ctx context.Context, limit int) ([]Draw, error)

	NOC(ctx context.Context, code string) (NOC, error)
	// SearchNOC ranks unit groups by code prefix, then by title words.
	SearchNOC(ctx context.Context, query string, limit int) ([]NOC, error)
	Categories(ctx context.Context) ([]CategoryVersion, error)
	// Eligibility lists every category version whose list includes code.
	Eligibility(ctx context.Context, code string) ([]Eligibility, error)
	PNPDraws(ctx context.Context, limit int) ([]PNPDraw, error)
	// RoundNamesFR maps IRCC's English round names to its French ones.
	RoundNamesFR(ctx context.Context) (map[string]string, error)

	Meta(ctx context.Context) (FeedMeta, error)
	// SaveDraws upserts draws from one source in a single transaction. A
	// source never overwrites a draw held from a more authoritative one
	// (feed > moderator, feed > embedded snapshot).
	SaveDraws(ctx context.Context, draws []Draw, src Origin) (SaveResult, error)
	// ApplyDraws is SaveDraws that also queues, in the same transaction,
	// posts of new draws dated notifySince or later and corrections of
	// posted ones. An empty notifySince queues nothing.
	ApplyDraws(ctx context.Context, draws []Draw, src Origin, notifySince string) (SaveResult, error)

	// Subscribe adds a subscription or revives the identical one.
	Subscribe(ctx context.Context, s Subscription) (sub Subscription, created bool, err error)
	// Unsubscribe removes one subscription of a destination, or all (id 0).
	Unsubscribe(ctx context.Context, platform Platform, destination string, id int64) (int, error)
	// Subscriptions lists a destination's subscriptions ("" for all).
	Subscriptions(ctx context.Context, platform Platform, destination string) ([]Subscription, error)
	// PostAnnouncement queues a moderator's post of a draw to every
	// matching subscription, once per preview: when the preview was already
	// posted or cancelled it queues nothing and returns that record with
	// fresh false.
	PostAnnouncement(ctx context.Context, a Announcement) (rec Announcement, fresh bool, err error)
	// CancelAnnouncement records that a preview is not to be posted, unless
	// it already was (then it returns that record with fresh false).
	CancelAnnouncement(ctx context.Context, a Announcement) (rec Announcement, fresh bool, err error)
	// Announcements lists a draw's posted announcements, newest first.
	Announcements(ctx context.Context, number string) ([]Announcement, error)

	// ChatLanguage is the language a destination's managers chose ("" for none).
	ChatLanguage(ctx context.Context, platform Platform, destination string) (string, error)
	// SetChatLanguage records it; "" forgets it.
	SetChatLanguage(ctx context.Context, platform Platform, destination, lang string) error
}

// SaveResult reports what SaveDraws changed.
type SaveResult struct {
	Added   []Draw
	Updated []Correction
}

// Correction is a stored draw whose values a later source changed.
type Correction struct {
	Old, New Draw
}

// Material reports whether the change is one a reader of the post would see
// (date, category, cutoff, invitations, tie-break), not just IRCC's wording.
func (c Correction) Material() bool {
	o, n := c.Old, c.New
	return o.Date != n.Date || o.Category != n.Category || o.Version != n.Version || o.CRS != n.CRS ||
		o.Size != n.Size || !o.TieBreak.Equal(n.TieBreak)
}
