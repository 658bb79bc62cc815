package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

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
			if _, err := tx.ExecContext(ctx, `INSERT INTO noc_fts (code, title_en, title_fr) VALUES ($1,$2,$3)`,
				n.Code, n.TitleEN, n.TitleFR); err != nil {
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
	db.changes.changed()
	if err != nil {
		return fmt.Errorf("store: load reference: %w", err)
	}
	return nil
}

// Categories lists every category version with its NOC count, by key then
// version. The list changes only with LoadReference, so it is read once
// after each write and copied to each caller.
func (db *DB) Categories(ctx context.Context) ([]domain.CategoryVersion, error) {
	at := db.changes.n.Load()
	if c := db.changes.cats.Load(); c != nil && c.at == at {
		return slices.Clone(c.cats), nil
	}
	cats, err := db.readCategories(ctx)
	if err != nil {
		return nil, err
	}
	db.changes.cats.Store(&cachedCategories{at: at, cats: cats})
	return slices.Clone(cats), nil
}

func (db *DB) readCategories(ctx context.Context) ([]domain.CategoryVersion, error) {
	rows, err := db.rd.categories.QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: categories: %w", err)
	}
	defer rows.Close()
	var out []domain.CategoryVersion
	for rows.Next() {
		var c domain.CategoryVersion
		if err := rows.Scan(&c.Key, &c.Version, &c.DrawName, &c.Name, &c.EffectiveFrom, &c.EffectiveTo,
			&c.MinMonths, &c.WindowYears, &c.Requirements, &c.SourceURL, &c.NOCCount); err != nil {
			return nil, fmt.Errorf("store: categories: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Eligibility lists the category versions whose list includes code, oldest first.
func (db *DB) Eligibility(ctx context.Context, code string) ([]domain.Eligibility, error) {
	rows, err := db.rd.eligibility.QueryContext(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("store: eligibility: %w", err)
	}
	defer rows.Close()
	var out []domain.Eligibility
	for rows.Next() {
		var e domain.Eligibility
		c := &e.Category
		if err := rows.Scan(&c.Key, &c.Version, &c.DrawName, &c.Name, &c.EffectiveFrom, &c.EffectiveTo,
			&c.MinMonths, &c.WindowYears, &c.Requirements, &c.SourceURL, &e.Title, &e.Verified, &e.Source); err != nil {
			return nil, fmt.Errorf("store: eligibility: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PNPDraws returns the newest OINP draws.
func (db *DB) PNPDraws(ctx context.Context, limit int) ([]domain.PNPDraw, error) {
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
