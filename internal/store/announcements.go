package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

const announcementCols = `preview_id, draw_number, status, destinations, platform, user_id, at`

func scanAnnouncement(s scanner) (domain.Announcement, error) {
	var a domain.Announcement
	var status, at string
	err := s.Scan(&a.PreviewID, &a.Number, &status, &a.Destinations, &a.Platform, &a.UserID, &at)
	a.Cancelled = status == "cancelled"
	a.At = parseStamp(at)
	return a, err
}

// PostAnnouncement queues a moderator's post of draw a.Number to every
// matching live subscription, once per preview (a.PreviewID): the record
// and the posts are written in one transaction, the posts' revision being
// the preview id. When the preview was already posted or cancelled nothing
// is queued and the existing record comes back with fresh false. a.At
// defaults to the store's clock.
func (db *DB) PostAnnouncement(ctx context.Context, a domain.Announcement) (domain.Announcement, bool, error) {
	return db.announce(ctx, a, "posted")
}

// CancelAnnouncement records that a preview is not to be posted, so a later
// press of its Post button does nothing. A preview already posted stays
// posted: its record comes back with fresh false.
func (db *DB) CancelAnnouncement(ctx context.Context, a domain.Announcement) (domain.Announcement, bool, error) {
	return db.announce(ctx, a, "cancelled")
}

func (db *DB) announce(ctx context.Context, a domain.Announcement, status string) (domain.Announcement, bool, error) {
	if a.PreviewID == "" || a.Number == "" {
		return a, false, errors.New("store: announcement without a preview or a draw")
	}
	var d domain.Draw
	if status == "posted" {
		var err error
		if d, err = db.Draw(ctx, a.Number); err != nil {
			return a, false, err
		}
	}
	if a.At.IsZero() {
		a.At = db.now()
	}
	a.Cancelled = status == "cancelled"
	fresh := false
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO announcements (`+announcementCols+`) VALUES ($1, $2, $3, 0, $4, $5, $6)
			ON CONFLICT (preview_id) DO NOTHING`, a.PreviewID, a.Number, status, a.Platform, a.UserID, stamp(a.At))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			a, err = scanAnnouncement(tx.QueryRowContext(ctx, `SELECT `+announcementCols+` FROM announcements WHERE preview_id = $1`, a.PreviewID))
			return err
		}
		fresh = true
		if status != "posted" {
			return nil
		}
		if a.Destinations, err = enqueue(ctx, tx, db.d, d, domain.PostAnnounce, a.PreviewID, a.At.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE announcements SET destinations = $2 WHERE preview_id = $1`, a.PreviewID, a.Destinations)
		return err
	})
	if err != nil {
		return a, false, fmt.Errorf("store: announce %s (preview %s): %w", a.Number, a.PreviewID, err)
	}
	if fresh && a.Destinations > 0 {
		db.queued.fire()
	}
	return a, fresh, nil
}

// Announcements lists a draw's posted announcements, newest first.
func (db *DB) Announcements(ctx context.Context, number string) ([]domain.Announcement, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+announcementCols+` FROM announcements
		WHERE draw_number = $1 AND status = 'posted' ORDER BY at DESC, rowid DESC`, number)
	if err != nil {
		return nil, fmt.Errorf("store: announcements: %w", err)
	}
	defer rows.Close()
	var out []domain.Announcement
	for rows.Next() {
		a, err := scanAnnouncement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
