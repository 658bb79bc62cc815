package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

const drawCols = `number, seq, date, drawn_at, drawn_raw, name, category, version, kind, size, crs,
	programs, tie_break_at, tie_raw, url, dist_as_of, dist_as_of_raw, dist_total, source`

const newestFirst = ` ORDER BY date DESC, seq DESC, number DESC`

type scanner interface{ Scan(...any) error }

func scanDraw(s scanner) (domain.Draw, error) {
	var d domain.Draw
	var drawnAt, tieAt, asOf, asOfRaw, kind, src string
	var total int
	err := s.Scan(&d.Number, &d.Seq, &d.Date, &drawnAt, &d.DrawnRaw, &d.Name, &d.Category, &d.Version,
		&kind, &d.Size, &d.CRS, &d.Programs, &tieAt, &d.TieRaw, &d.URL, &asOf, &asOfRaw, &total, &src)
	if err != nil {
		return d, err
	}
	d.Type, d.Origin = domain.RoundType(kind), domain.Origin(src)
	d.DrawnAt = parseStamp(drawnAt)
	d.TieBreak = parseStamp(tieAt)
	if total > 0 {
		d.Dist = &domain.Distribution{AsOf: asOf, AsOfRaw: asOfRaw, Total: total}
	}
	return d, nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func parseStamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Draws returns draws newest first.
func (db *DB) Draws(ctx context.Context, f domain.DrawFilter) ([]domain.Draw, error) {
	q := `SELECT ` + drawCols + ` FROM draws`
	var args []any
	if f.Category != "" {
		q += ` WHERE category = $1`
		args = append(args, f.Category)
	}
	q += newestFirst
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: draws: %w", err)
	}
	defer rows.Close()
	var out []domain.Draw
	for rows.Next() {
		d, err := scanDraw(rows)
		if err != nil {
			return nil, fmt.Errorf("store: draws: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CountDraws counts the draws of a category ("" for all).
func (db *DB) CountDraws(ctx context.Context, category domain.Key) (int, error) {
	var n int
	var err error
	if category == "" {
		err = db.r.QueryRowContext(ctx, `SELECT count(*) FROM draws`).Scan(&n)
	} else {
		err = db.r.QueryRowContext(ctx, `SELECT count(*) FROM draws WHERE category = $1`, category).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("store: count draws: %w", err)
	}
	return n, nil
}

// Draw returns one draw by its number.
func (db *DB) Draw(ctx context.Context, number string) (domain.Draw, error) {
	d, err := scanDraw(db.r.QueryRowContext(ctx, `SELECT `+drawCols+` FROM draws WHERE number = $1`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("store: draw %s: %w", number, err)
	}
	return d, nil
}

// Distributions returns the newest distinct pool snapshots with their bands.
// Consecutive draws often share one snapshot; the newest draw carries it.
func (db *DB) Distributions(ctx context.Context, limit int) ([]domain.Draw, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+drawCols+` FROM draws WHERE dist_total > 0`+newestFirst+` LIMIT $1`, limit*8+8)
	if err != nil {
		return nil, fmt.Errorf("store: distributions: %w", err)
	}
	var out []domain.Draw
	seen := map[string]bool{}
	for rows.Next() && len(out) < limit {
		d, err := scanDraw(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: distributions: %w", err)
		}
		if seen[d.Dist.AsOf] {
			continue
		}
		seen[d.Dist.AsOf] = true
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		b, err := bands(ctx, db.r, out[i].Number)
		if err != nil {
			return nil, err
		}
		out[i].Dist.Bands = b
	}
	return out, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func bands(ctx context.Context, q querier, number string) ([]domain.Band, error) {
	rows, err := q.QueryContext(ctx, `SELECT lo, hi, candidates FROM pool_bands WHERE draw_number = $1 ORDER BY lo DESC`, number)
	if err != nil {
		return nil, fmt.Errorf("store: bands: %w", err)
	}
	defer rows.Close()
	var out []domain.Band
	for rows.Next() {
		var b domain.Band
		if err := rows.Scan(&b.Lo, &b.Hi, &b.Candidates); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// rank orders sources by authority: a source may overwrite a draw held from
// one of equal or lower rank.
func rank(s domain.Origin) int {
	switch s {
	case domain.OriginFeed:
		return 3
	case domain.OriginModerator:
		return 2
	case domain.OriginSnapshot:
		return 1
	}
	return 0
}

// DrawsVersion changes after every write of draws (SaveDraws, ApplyDraws),
// once it has committed: something read while it stays the same is still
// what the store holds. The engine keeps rendered posts until it changes.
func (db *DB) DrawsVersion() uint64 { return db.drawsVersion.Load() }

// SaveDraws upserts draws in one transaction and reports what changed. It
// enqueues no posts (the embedded snapshot and tests use it).
func (db *DB) SaveDraws(ctx context.Context, draws []domain.Draw, src domain.Origin) (domain.SaveResult, error) {
	return db.ApplyDraws(ctx, draws, src, "")
}

// ApplyDraws upserts draws and, in the same transaction, enqueues a post to
// every matching live subscription for each new draw dated notifySince or
// later, and a correction wherever a changed draw was already posted. An
// empty notifySince enqueues nothing. Either all of it is stored or none.
func (db *DB) ApplyDraws(ctx context.Context, draws []domain.Draw, src domain.Origin, notifySince string) (domain.SaveResult, error) {
	var res domain.SaveResult
	var queued int
	now := stamp(db.now())
	defer db.drawsVersion.Add(1) // after the commit, whatever became of it
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if res, err = saveDraws(ctx, tx, draws, src, now); err != nil {
			return err
		}
		if notifySince == "" {
			return nil
		}
		for _, d := range res.Added {
			if d.Date < notifySince {
				continue
			}
			n, err := enqueue(ctx, tx, d, domain.PostNew, "", now)
			if err != nil {
				return err
			}
			queued += n
		}
		for _, c := range res.Updated {
			if !c.Material() {
				continue
			}
			n, err := enqueueCorrection(ctx, tx, c, now)
			if err != nil {
				return err
			}
			queued += n
		}
		return nil
	})
	if err != nil {
		return domain.SaveResult{}, fmt.Errorf("store: save draws: %w", err)
	}
	if queued > 0 {
		db.queued.fire()
	}
	return res, nil
}

func saveDraws(ctx context.Context, tx *sql.Tx, draws []domain.Draw, src domain.Origin, now string) (domain.SaveResult, error) {
	var res domain.SaveResult
	for _, d := range draws {
		d.Origin = src
		old, err := scanDraw(tx.QueryRowContext(ctx, `SELECT `+drawCols+` FROM draws WHERE number = $1`, d.Number))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := writeDraw(ctx, tx, d, now); err != nil {
				return res, err
			}
			res.Added = append(res.Added, d)
			continue
		case err != nil:
			return res, err
		}
		if rank(src) < rank(old.Origin) {
			continue
		}
		if old.Dist != nil {
			if old.Dist.Bands, err = bands(ctx, tx, d.Number); err != nil {
				return res, err
			}
		}
		if sameDraw(old, d) {
			if old.Origin != src {
				if _, err := tx.ExecContext(ctx, `UPDATE draws SET source = $1, updated_at = $2 WHERE number = $3`, src, now, d.Number); err != nil {
					return res, err
				}
			}
			continue
		}
		if err := writeDraw(ctx, tx, d, now); err != nil {
			return res, err
		}
		res.Updated = append(res.Updated, domain.Correction{Old: old, New: d})
	}
	return res, nil
}

// writeDraw stores a draw and its pool bands, inserting it or rewriting the
// row in place (deliveries refer to it, so it is never deleted).
func writeDraw(ctx context.Context, tx *sql.Tx, d domain.Draw, now string) error {
	var asOf, asOfRaw string
	var total int
	if d.Dist != nil {
		asOf, asOfRaw, total = d.Dist.AsOf, d.Dist.AsOfRaw, d.Dist.Total
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO draws (`+drawCols+`, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
		ON CONFLICT (number) DO UPDATE SET seq=excluded.seq, date=excluded.date, drawn_at=excluded.drawn_at,
			drawn_raw=excluded.drawn_raw, name=excluded.name, category=excluded.category, version=excluded.version,
			kind=excluded.kind, size=excluded.size, crs=excluded.crs, programs=excluded.programs,
			tie_break_at=excluded.tie_break_at, tie_raw=excluded.tie_raw, url=excluded.url, dist_as_of=excluded.dist_as_of,
			dist_as_of_raw=excluded.dist_as_of_raw, dist_total=excluded.dist_total, source=excluded.source,
			updated_at=excluded.updated_at`,
		d.Number, d.Seq, d.Date, stamp(d.DrawnAt), d.DrawnRaw, d.Name, d.Category, d.Version, string(d.Type),
		d.Size, d.CRS, d.Programs, stamp(d.TieBreak), d.TieRaw, d.URL, asOf, asOfRaw, total, string(d.Origin), now)
	if err != nil {
		return fmt.Errorf("write draw %s: %w", d.Number, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pool_bands WHERE draw_number = $1`, d.Number); err != nil {
		return err
	}
	return insertBands(ctx, tx, d)
}

func insertBands(ctx context.Context, tx *sql.Tx, d domain.Draw) error {
	if d.Dist == nil {
		return nil
	}
	for _, b := range d.Dist.Bands {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pool_bands (draw_number, lo, hi, candidates) VALUES ($1,$2,$3,$4)`,
			d.Number, b.Lo, b.Hi, b.Candidates); err != nil {
			return fmt.Errorf("insert bands %s: %w", d.Number, err)
		}
	}
	return nil
}

// sameDraw reports whether two versions of a draw carry the same facts.
func sameDraw(a, b domain.Draw) bool {
	if a.Number != b.Number || a.Seq != b.Seq || a.Date != b.Date || !a.DrawnAt.Equal(b.DrawnAt) ||
		a.DrawnRaw != b.DrawnRaw || a.Name != b.Name || a.Category != b.Category || a.Version != b.Version ||
		a.Type != b.Type || a.Size != b.Size || a.CRS != b.CRS || a.Programs != b.Programs ||
		!a.TieBreak.Equal(b.TieBreak) || a.TieRaw != b.TieRaw || a.URL != b.URL {
		return false
	}
	if (a.Dist == nil) != (b.Dist == nil) {
		return false
	}
	if a.Dist == nil {
		return true
	}
	if a.Dist.AsOf != b.Dist.AsOf || a.Dist.AsOfRaw != b.Dist.AsOfRaw || a.Dist.Total != b.Dist.Total || len(a.Dist.Bands) != len(b.Dist.Bands) {
		return false
	}
	for i := range a.Dist.Bands {
		if a.Dist.Bands[i] != b.Dist.Bands[i] {
			return false
		}
	}
	return true
}
