package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// Reference is the embedded reference data: category lists, NOC unit groups
// and OINP draws. It ships with the binary and is replaced whole at start.
type Reference struct {
	Categories  []domain.CategoryVersion
	Eligibility []CategoryNOC
	NOCs        []domain.NOC
	PNP         []domain.PNPDraw
	// RoundNamesFR maps IRCC's English round names to its French ones.
	RoundNamesFR map[string]string
}

// CategoryNOC is one row of category_noc.csv.
type CategoryNOC struct {
	Key      string
	Version  int
	Code     string
	Title    string
	Source   string
	Verified int
}

// LoadReference replaces all reference tables in one transaction, so a
// reader sees either the old or the new lists, never a mix.
func (db *DB) LoadReference(ctx context.Context, ref Reference) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// Replicas starting together replace it one after the other.
		if err := db.lockTx(ctx, tx, lockReference); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM category_noc`, `DELETE FROM category_versions`, `DELETE FROM noc`, `DELETE FROM noc_fts`, `DELETE FROM pnp_draws`, `DELETE FROM round_names_fr`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		for _, c := range ref.Categories {
			if _, err := tx.ExecContext(ctx, `INSERT INTO category_versions
				(key, version, draw_name, name, effective_from, effective_to, min_months, window_years, requirements, source_url)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
				c.Key, c.Version, c.DrawName, c.Name, c.EffectiveFrom, c.EffectiveTo, c.MinMonths, c.WindowYears, c.Requirements, c.SourceURL); err != nil {
				return fmt.Errorf("category %s v%d: %w", c.Key, c.Version, err)
			}
		}
		for _, e := range ref.Eligibility {
			if _, err := tx.ExecContext(ctx, `INSERT INTO category_noc (key, version, noc_code, title, source_url, verified)
				VALUES ($1,$2,$3,$4,$5,$6)`, e.Key, e.Version, e.Code, e.Title, e.Source, e.Verified); err != nil {
				return fmt.Errorf("category %s v%d noc %s: %w", e.Key, e.Version, e.Code, err)
			}
		}
		for en, fr := range ref.RoundNamesFR {
			if _, err := tx.ExecContext(ctx, `INSERT INTO round_names_fr (name_en, name_fr) VALUES ($1,$2)`, en, fr); err != nil {
				return fmt.Errorf("round name %q: %w", en, err)
			}
		}
		for _, n := range ref.NOCs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO noc (code, title_en, title_fr, teer) VALUES ($1,$2,$3,$4)`,
				n.Code, n.TitleEN, n.TitleFR, n.TEER); err != nil {
				return fmt.Errorf("noc %s: %w", n.Code, err)
			}
			if err := db.indexNOC(ctx, tx, n); err != nil {
				return fmt.Errorf("noc index %s: %w", n.Code, err)
			}
		}
		for _, p := range ref.PNP {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pnp_draws
				(id, stream, date, invitations, score_min, score_max, score_rule, type, region, occupations, notes)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
				p.ID, p.Stream, p.Date, p.Invitations, p.ScoreMin, p.ScoreMax, p.ScoreRule, p.Type, p.Region, p.Occupations, p.Notes); err != nil {
				return fmt.Errorf("pnp draw %s: %w", p.ID, err)
			}
		}
		return nil
	})
	db.changes.ref.Add(1)
	if err != nil {
		return fmt.Errorf("store: load reference: %w", err)
	}
	return nil
}

// indexNOC adds a unit group's titles to the word index: FTS5 on SQLite,
// a row per folded word on Postgres (nocWords).
func (db *DB) indexNOC(ctx context.Context, tx *sql.Tx, n domain.NOC) error {
	if !db.d.pg {
		_, err := tx.ExecContext(ctx, `INSERT INTO noc_fts (code, title_en, title_fr) VALUES ($1,$2,$3)`, n.Code, n.TitleEN, n.TitleFR)
		return err
	}
	rows := nocWords(n)
	if len(rows) == 0 {
		return nil
	}
	list, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO noc_fts (code, field, pos, word)
		SELECT value ->> 0, CAST(value ->> 1 AS INTEGER), CAST(value ->> 2 AS INTEGER), value ->> 3 FROM `+db.d.objects("$1", "w"), string(list))
	return err
}

// Categories lists every category version with its NOC count, by key then
// version (a copy of the lists kept in memory: lists).
func (db *DB) Categories(ctx context.Context) ([]domain.CategoryVersion, error) {
	l, err := db.lists(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(l.cats), nil
}

// Eligibility lists the category versions whose list includes code, oldest
// first (a copy of the lists kept in memory: lists).
func (db *DB) Eligibility(ctx context.Context, code string) ([]domain.Eligibility, error) {
	l, err := db.lists(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(l.byCode[code]), nil
}

// lists returns the category lists, read once after each LoadReference:
// they are a few hundred rows that change only then, and eligible, noc
// and categories read them for every answer.
func (db *DB) lists(ctx context.Context) (*lists, error) {
	db.sync(ctx)
	at := db.changes.ref.Load()
	if l := db.changes.lists.Load(); l != nil && l.at == at {
		return l, nil
	}
	l, err := db.readLists(ctx)
	if err != nil {
		return nil, err
	}
	l.at = at
	db.changes.lists.Store(l)
	return l, nil
}

func (db *DB) readLists(ctx context.Context) (*lists, error) {
	l := &lists{byCode: map[string][]domain.Eligibility{}}
	rows, err := db.rd.categories.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	defer rows.Close()
	type version struct {
		key     domain.Key
		version int
	}
	byVersion := map[version]domain.CategoryVersion{}
	for rows.Next() {
		var c domain.CategoryVersion
		if err := rows.Scan(&c.Key, &c.Version, &c.DrawName, &c.Name, &c.EffectiveFrom, &c.EffectiveTo,
			&c.MinMonths, &c.WindowYears, &c.Requirements, &c.SourceURL, &c.NOCCount); err != nil {
			return nil, fmt.Errorf("store: categories: %w", err)
		}
		l.cats = append(l.cats, c)
		c.NOCCount = 0 // as a listing shows its category
		byVersion[version{c.Key, c.Version}] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	rows.Close()
	rows, err = db.rd.categoryNOC.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: eligibility: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v version
		var code string
		var e domain.Eligibility
		if err := rows.Scan(&v.key, &v.version, &code, &e.Title, &e.Verified, &e.Source); err != nil {
			return nil, fmt.Errorf("store: eligibility: %w", err)
		}
		c, ok := byVersion[v]
		if !ok {
			continue // the foreign key keeps this from happening
		}
		e.Category = c
		l.byCode[code] = append(l.byCode[code], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: eligibility: %w", err)
	}
	for _, es := range l.byCode {
		slices.SortFunc(es, func(a, b domain.Eligibility) int {
			return cmp.Or(strings.Compare(a.Category.EffectiveFrom, b.Category.EffectiveFrom),
				strings.Compare(string(a.Category.Key), string(b.Category.Key)), cmp.Compare(a.Category.Version, b.Category.Version))
		})
	}
	return l, nil
}

// PNPDraws returns the newest OINP draws.
func (db *DB) PNPDraws(ctx context.Context, limit int) ([]domain.PNPDraw, error) {
	read := func() ([]domain.PNPDraw, error) { return db.readPNP(ctx, limit) }
	if !db.resultCache {
		return read()
	}
	db.sync(ctx)
	return cached(&db.changes.pnp, &db.changes.ref, limit, slices.Clone, always, read)
}

func (db *DB) readPNP(ctx context.Context, limit int) ([]domain.PNPDraw, error) {
	rows, err := db.rd.pnp.QueryContext(ctx, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pnp draws: %w", err)
	}
	defer rows.Close()
	var out []domain.PNPDraw
	for rows.Next() {
		var p domain.PNPDraw
		if err := rows.Scan(&p.ID, &p.Stream, &p.Date, &p.Invitations, &p.ScoreMin, &p.ScoreMax, &p.ScoreRule, &p.Type, &p.Region, &p.Occupations, &p.Notes); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RoundNamesFR returns IRCC's French round names by English name.
func (db *DB) RoundNamesFR(ctx context.Context) (map[string]string, error) {
	rows, err := db.rd.roundNames.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var en, fr string
		if err := rows.Scan(&en, &fr); err != nil {
			return nil, err
		}
		out[en] = fr
	}
	return out, rows.Err()
}
