package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// CRSSession returns the answers someone gave so far to the guided crs
// questions; ok is false when there are none or they expired.
func (db *DB) CRSSession(ctx context.Context, platform domain.Platform, user string) (answers string, ok bool, err error) {
	now := db.now().UTC().Format(time.RFC3339)
	err = db.r.QueryRowContext(ctx, `SELECT answers FROM crs_sessions WHERE platform = $1 AND user_id = $2 AND expires_at > $3`,
		string(platform), user, now).Scan(&answers)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: crs session: %w", err)
	}
	return answers, true, nil
}

// SaveCRSSession keeps answers for ttl, and drops everyone's expired ones.
func (db *DB) SaveCRSSession(ctx context.Context, platform domain.Platform, user, answers string, ttl time.Duration) error {
	now := db.now().UTC()
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM crs_sessions WHERE expires_at <= $1`, now.Format(time.RFC3339)); err != nil {
			return fmt.Errorf("store: crs sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO crs_sessions (platform, user_id, answers, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (platform, user_id) DO UPDATE SET answers = excluded.answers, expires_at = excluded.expires_at`,
			string(platform), user, answers, now.Add(ttl).Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("store: save crs session: %w", err)
		}
		return nil
	})
}

// DeleteCRSSession forgets someone's answers in progress.
func (db *DB) DeleteCRSSession(ctx context.Context, platform domain.Platform, user string) error {
	if _, err := db.w.ExecContext(ctx, `DELETE FROM crs_sessions WHERE platform = $1 AND user_id = $2`, string(platform), user); err != nil {
		return fmt.Errorf("store: delete crs session: %w", err)
	}
	return nil
}

// SaveCRSProfile keeps someone's profile (the one-line form) and its score,
// replacing the one they kept before.
func (db *DB) SaveCRSProfile(ctx context.Context, platform domain.Platform, user, profile string, score int) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO crs_profiles (platform, user_id, profile, score, saved_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (platform, user_id) DO UPDATE SET profile = excluded.profile, score = excluded.score, saved_at = excluded.saved_at`,
		string(platform), user, profile, score, db.now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("store: save crs profile: %w", err)
	}
	return nil
}

// CRSProfile returns the profile someone kept; ok is false when none.
func (db *DB) CRSProfile(ctx context.Context, platform domain.Platform, user string) (profile string, score int, ok bool, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT profile, score FROM crs_profiles WHERE platform = $1 AND user_id = $2`,
		string(platform), user).Scan(&profile, &score)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("store: crs profile: %w", err)
	}
	return profile, score, true, nil
}

// ForgetCRS deletes everything crs keeps about someone: the answers in
// progress and the kept profile. It reports how many rows went.
func (db *DB) ForgetCRS(ctx context.Context, platform domain.Platform, user string) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM crs_sessions WHERE platform = $1 AND user_id = $2`, `DELETE FROM crs_profiles WHERE platform = $1 AND user_id = $2`} {
			res, err := tx.ExecContext(ctx, q, string(platform), user)
			if err != nil {
				return fmt.Errorf("store: forget crs: %w", err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return nil
	})
	return n, err
}
