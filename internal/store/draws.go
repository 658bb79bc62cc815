package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

const drawCols = `number, seq, date, drawn_at, drawn_raw, name, category, version, kind, size, crs,
	programs, tie_break_at, tie_raw, url, dist_as_of, dist_as_of_raw, dist_total, source`

const newestFirst = ` ORDER BY date DESC, seq DESC, number DESC`

type scanner interface{ Scan(...any) error }

// scanDraw reads a row of drawCols. It scans into interfaces and takes the
// driver's values as they are: database/sql would otherwise convert each
// integer to text and back (Scan into *int) or go through reflection
// (named string types), about ten allocations a row.
func scanDraw(s scanner) (domain.Draw, error) {
	var d domain.Draw
	var v [19]any
	err := s.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
		&v[10], &v[11], &v[12], &v[13], &v[14], &v[15], &v[16], &v[17], &v[18])
	if err != nil {
		return d, err
	}
	d.Number, d.Seq, d.Date = text(v[0]), integer(v[1]), text(v[2])
	d.DrawnAt, d.DrawnRaw, d.Name = parseStamp(text(v[3])), text(v[4]), text(v[5])
	d.Category, d.Version, d.Type = domain.Key(text(v[6])), integer(v[7]), domain.RoundType(text(v[8]))
	d.Size, d.CRS, d.Programs = integer(v[9]), integer(v[10]), text(v[11])
	d.TieBreak, d.TieRaw, d.URL = parseStamp(text(v[12])), text(v[13]), text(v[14])
	if total := integer(v[17]); total > 0 {
		d.Dist = &domain.Distribution{AsOf: text(v[15]), AsOfRaw: text(v[16]), Total: total}
	}
	d.Origin = domain.Origin(text(v[18]))
	return d, nil
}

// text is a TEXT column's value as the driver gives it.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// integer is an INTEGER column's value as the driver gives it.
func integer(v any) int {
	switch v := v.(type) {
	case int64:
		return int(v)
	case int32:
		return int(v)
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
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

// Draws returns the draws f selects, newest first (oldest first with
// f.Oldest). Each filter is one index range (migrations 0001 and 0009), so
// a LIMIT reads only the rows it returns, at any size of history; an
// OFFSET still steps over the rows it skips.
func (db *DB) Draws(ctx context.Context, f domain.DrawFilter) ([]domain.Draw, error) {
	read := func() ([]domain.Draw, error) { return db.readDraws(ctx, f) }
	if !db.resultCache || f.Limit <= 0 || f.Limit > maxCachedDraws {
		return read()
	}
	db.sync(ctx)
	return cached(&db.changes.draws, &db.changes.n, f, copyDraws, always, read)
}

// maxCachedDraws is the most draws a kept result of Draws holds; the most
// dates a kept result of DrawDates holds is maxCachedDates.
const (
	maxCachedDraws = 25
	maxCachedDates = 500
)

func always[V any](V) bool { return true }

// copyDraws copies draws so that neither a caller nor the cache sees the
// other's changes.
func copyDraws(ds []domain.Draw) []domain.Draw {
	out := slices.Clone(ds)
	for i := range out {
		if d := out[i].Dist; d != nil {
			c := *d
			c.Bands = slices.Clone(d.Bands)
			out[i].Dist = &c
		}
	}
	return out
}

func (db *DB) readDraws(ctx context.Context, f domain.DrawFilter) ([]domain.Draw, error) {
	scope, args := drawArgs(f)
	limit, offset, order := limits(f)
	rows, err := db.rd.draws[scope][order].QueryContext(ctx, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: draws: %w", err)
	}
	defer rows.Close()
	var out []domain.Draw
	if f.Limit > 0 {
		out = make([]domain.Draw, 0, min(f.Limit, 64))
	}
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
	return db.CountDrawsIn(ctx, domain.DrawFilter{Category: category})
}

// CountDrawsIn counts the draws f selects, whatever its Limit, Offset and
// order. SQLite counts by stepping through the index range, so a count is
// kept until the next write of draws.
func (db *DB) CountDrawsIn(ctx context.Context, f domain.DrawFilter) (int, error) {
	f.Limit, f.Offset, f.Oldest = 0, 0, false
	db.sync(ctx)
	return cached(&db.changes.counts, &db.changes.n, f, func(n int) int { return n }, always, func() (int, error) {
		scope, args := drawArgs(f)
		var n int
		if err := db.rd.count[scope].QueryRowContext(ctx, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: count draws: %w", err)
		}
		return n, nil
	})
}

// limits returns the LIMIT and OFFSET of f, and which order it asks for.
func limits(f domain.DrawFilter) (limit, offset, order int) {
	limit = f.Limit
	if limit <= 0 {
		limit = math.MaxInt32 // no limit, on either engine
	}
	if f.Oldest {
		order = 1
	}
	return limit, max(f.Offset, 0), order
}

// DrawDates returns the dates of the draws f selects, in its order: read
// from the index alone.
func (db *DB) DrawDates(ctx context.Context, f domain.DrawFilter) ([]string, error) {
	read := func() ([]string, error) { return db.readDates(ctx, f) }
	if !db.resultCache {
		return read()
	}
	small := func(ds []string) bool { return len(ds) <= maxCachedDates }
	db.sync(ctx)
	return cached(&db.changes.dates, &db.changes.n, f, slices.Clone, small, read)
}

func (db *DB) readDates(ctx context.Context, f domain.DrawFilter) ([]string, error) {
	scope, args := drawArgs(f)
	limit, offset, order := limits(f)
	rows, err := db.rd.dates[scope][order].QueryContext(ctx, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("store: draw dates: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("store: draw dates: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SummarizeDraws adds up the draws f selects in SQL, whatever its Limit,
// Offset and order, in one statement (summarySQL): no row is read into Go
// but the oldest and the newest draw.
func (db *DB) SummarizeDraws(ctx context.Context, f domain.DrawFilter) (domain.DrawSummary, error) {
	f.Limit, f.Offset, f.Oldest = 0, 0, false
	read := func() (domain.DrawSummary, error) { return db.readSummary(ctx, f) }
	if !db.resultCache {
		return read()
	}
	cp := func(s domain.DrawSummary) domain.DrawSummary {
		ends := copyDraws([]domain.Draw{s.Newest, s.Oldest})
		s.Newest, s.Oldest = ends[0], ends[1]
		return s
	}
	db.sync(ctx)
	return cached(&db.changes.sums, &db.changes.n, f, cp, always, read)
}

func (db *DB) readSummary(ctx context.Context, f domain.DrawFilter) (domain.DrawSummary, error) {
	scope, args := drawArgs(f)
	rows, err := db.rd.sums[scope].QueryContext(ctx, args...)
	if err != nil {
		return domain.DrawSummary{}, wrap("summarize draws", err)
	}
	defer rows.Close()
	var s domain.DrawSummary
	for rows.Next() {
		var t summaryRow
		d, err := scanDraw(t.with(rows))
		if err != nil {
			return domain.DrawSummary{}, wrap("summarize draws", err)
		}
		s.Draws, s.Invitations, s.MinCRS, s.MaxCRS, s.SumCRS, s.MedianCRS = t.n, t.inv, t.lo, t.hi, t.total, t.med
		if s.Newest.Number == "" || d.Newer(s.Newest) {
			s.Newest = d
		}
		if s.Oldest.Number == "" || s.Oldest.Newer(d) {
			s.Oldest = d
		}
	}
	return s, wrap("summarize draws", rows.Err())
}

// summaryRow is the columns summarySQL adds after a draw's.
type summaryRow struct {
	n, inv, lo, hi, total, med int
	s                          scanner
}

// with returns a scanner that reads a draw's columns into the draw and the
// summary's into t.
func (t *summaryRow) with(s scanner) scanner { t.s = s; return t }

func (t *summaryRow) Scan(dest ...any) error {
	return t.s.Scan(append(dest, &t.n, &t.inv, &t.lo, &t.hi, &t.total, &t.med)...)
}

// wrap prefixes a store error with what was being done; nil stays nil.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// LatestDraws returns the newest draw of each of keys that has one, in one
// statement: an indexed look-up per key.
func (db *DB) LatestDraws(ctx context.Context, keys []domain.Key) (map[domain.Key]domain.Draw, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	read := func() (map[domain.Key]domain.Draw, error) { return db.readLatest(ctx, string(list), len(keys)) }
	if !db.resultCache {
		return read()
	}
	db.sync(ctx)
	return cached(&db.changes.latest, &db.changes.n, string(list), copyLatest, always, read)
}

func copyLatest(m map[domain.Key]domain.Draw) map[domain.Key]domain.Draw {
	out := make(map[domain.Key]domain.Draw, len(m))
	for k, d := range m {
		out[k] = copyDraws([]domain.Draw{d})[0]
	}
	return out
}

func (db *DB) readLatest(ctx context.Context, list string, n int) (map[domain.Key]domain.Draw, error) {
	if n == 0 {
		return map[domain.Key]domain.Draw{}, nil
	}
	rows, err := db.rd.latest.QueryContext(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("store: latest draws: %w", err)
	}
	defer rows.Close()
	out := make(map[domain.Key]domain.Draw, n)
	for rows.Next() {
		d, err := scanDraw(rows)
		if err != nil {
			return nil, fmt.Errorf("store: latest draws: %w", err)
		}
		out[d.Category] = d
	}
	return out, rows.Err()
}

// Draw returns one draw by its number.
func (db *DB) Draw(ctx context.Context, number string) (domain.Draw, error) {
	d, err := scanDraw(db.rd.draw.QueryRowContext(ctx, number))
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
	read := func() ([]domain.Draw, error) { return db.readDistributions(ctx, limit) }
	if !db.resultCache || limit > maxCachedDraws {
		return read()
	}
	db.sync(ctx)
	return cached(&db.changes.dists, &db.changes.n, limit, copyDraws, always, read)
}

func (db *DB) readDistributions(ctx context.Context, limit int) ([]domain.Draw, error) {
	rows, err := db.rd.dists.QueryContext(ctx, limit*8+8)
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
		b, err := bands(ctx, db.rd.bands, out[i].Number)
		if err != nil {
			return nil, err
		}
		out[i].Dist.Bands = b
	}
	return out, nil
}

const bandsSQL = `SELECT lo, hi, candidates FROM pool_bands WHERE draw_number = $1 ORDER BY lo DESC`

// bands reads a draw's pool bands with a statement of bandsSQL.
func bands(ctx context.Context, s *sql.Stmt, number string) ([]domain.Band, error) {
	rows, err := s.QueryContext(ctx, number)
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

// DrawsVersion changes after every write of draws or feed meta (SaveDraws,
// ApplyDraws), once it has committed: something read while it stays the
// same is still what the store holds. The engine keeps rendered posts and
// charts until it changes.
// With other replicas writing (Postgres) it is read from the database.
func (db *DB) DrawsVersion(ctx context.Context) uint64 {
	db.sync(ctx)
	return db.changes.n.Load()
}

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
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// Two replicas saving the same draws (the leader changing hands
		// mid-poll) take turns, and the second finds them saved.
		if err := db.lockTx(ctx, tx, lockDraws); err != nil {
			return err
		}
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
			n, err := enqueue(ctx, tx, db.d, d, domain.PostNew, "", now)
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
	db.changes.changed()
	if err != nil {
		return domain.SaveResult{}, fmt.Errorf("store: save draws: %w", err)
	}
	if queued > 0 {
		db.queued.fire()
	}
	return res, nil
}

// drawWriter holds the statements saveDraws runs for each draw, prepared
// once per transaction (a seed writes thousands of draws).
type drawWriter struct {
	get, upsert, setSource, deleteBands, insertBand, bands *sql.Stmt
}

func prepareWriter(ctx context.Context, tx *sql.Tx) (*drawWriter, error) {
	var w drawWriter
	for _, p := range []struct {
		s *(*sql.Stmt)
		q string
	}{
		{&w.get, `SELECT ` + drawCols + ` FROM draws WHERE number = $1`},
		{&w.upsert, `INSERT INTO draws (` + drawCols + `, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)
		ON CONFLICT (number) DO UPDATE SET seq=excluded.seq, date=excluded.date, drawn_at=excluded.drawn_at,
			drawn_raw=excluded.drawn_raw, name=excluded.name, category=excluded.category, version=excluded.version,
			kind=excluded.kind, size=excluded.size, crs=excluded.crs, programs=excluded.programs,
			tie_break_at=excluded.tie_break_at, tie_raw=excluded.tie_raw, url=excluded.url, dist_as_of=excluded.dist_as_of,
			dist_as_of_raw=excluded.dist_as_of_raw, dist_total=excluded.dist_total, source=excluded.source,
			updated_at=excluded.updated_at`},
		{&w.setSource, `UPDATE draws SET source = $1, updated_at = $2 WHERE number = $3`},
		{&w.deleteBands, `DELETE FROM pool_bands WHERE draw_number = $1`},
		{&w.insertBand, `INSERT INTO pool_bands (draw_number, lo, hi, candidates) VALUES ($1,$2,$3,$4)`},
		{&w.bands, bandsSQL},
	} {
		s, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			return nil, err
		}
		*p.s = s // closed with the transaction
	}
	return &w, nil
}

func saveDraws(ctx context.Context, tx *sql.Tx, draws []domain.Draw, src domain.Origin, now string) (domain.SaveResult, error) {
	var res domain.SaveResult
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return res, err
	}
	for _, d := range draws {
		d.Origin = src
		old, err := scanDraw(w.get.QueryRowContext(ctx, d.Number))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := w.write(ctx, d, now); err != nil {
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
			if old.Dist.Bands, err = bands(ctx, w.bands, d.Number); err != nil {
				return res, err
			}
		}
		if sameDraw(old, d) {
			if old.Origin != src {
				if _, err := w.setSource.ExecContext(ctx, src, now, d.Number); err != nil {
					return res, err
				}
			}
			continue
		}
		if err := w.write(ctx, d, now); err != nil {
			return res, err
		}
		res.Updated = append(res.Updated, domain.Correction{Old: old, New: d})
	}
	return res, nil
}

// write stores a draw and its pool bands, inserting it or rewriting the
// row in place (deliveries refer to it, so it is never deleted).
func (w *drawWriter) write(ctx context.Context, d domain.Draw, now string) error {
	var asOf, asOfRaw string
	var total int
	if d.Dist != nil {
		asOf, asOfRaw, total = d.Dist.AsOf, d.Dist.AsOfRaw, d.Dist.Total
	}
	_, err := w.upsert.ExecContext(ctx,
		d.Number, d.Seq, d.Date, stamp(d.DrawnAt), d.DrawnRaw, d.Name, d.Category, d.Version, string(d.Type),
		d.Size, d.CRS, d.Programs, stamp(d.TieBreak), d.TieRaw, d.URL, asOf, asOfRaw, total, string(d.Origin), now)
	if err != nil {
		return fmt.Errorf("write draw %s: %w", d.Number, err)
	}
	if _, err := w.deleteBands.ExecContext(ctx, d.Number); err != nil {
		return err
	}
	if d.Dist == nil {
		return nil
	}
	for _, b := range d.Dist.Bands {
		if _, err := w.insertBand.ExecContext(ctx, d.Number, b.Lo, b.Hi, b.Candidates); err != nil {
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
