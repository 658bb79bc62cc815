package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/eebot/eebot/internal/domain"
)

// NOC returns one unit group by its five-digit code.
func (db *DB) NOC(ctx context.Context, code string) (domain.NOC, error) {
	read := func() (domain.NOC, error) { return db.readNOC(ctx, code) }
	if !db.resultCache {
		return read()
	}
	return cached(&db.changes.noc, &db.changes.ref, code, func(n domain.NOC) domain.NOC { return n }, always, read)
}

func (db *DB) readNOC(ctx context.Context, code string) (domain.NOC, error) {
	var n domain.NOC
	err := db.rd.noc.QueryRowContext(ctx, code).Scan(&n.Code, &n.TitleEN, &n.TitleFR, &n.TEER)
	if errors.Is(err, sql.ErrNoRows) {
		return n, domain.ErrNotFound
	}
	if err != nil {
		return n, fmt.Errorf("store: noc %s: %w", code, err)
	}
	return n, nil
}

// SearchNOC finds unit groups by code prefix (digits) or title words
// (English or French, each word a prefix), best match first.
func (db *DB) SearchNOC(ctx context.Context, query string, limit int) ([]domain.NOC, error) {
	query = strings.TrimSpace(query)
	if limit <= 0 || query == "" {
		return nil, nil
	}
	read := func() ([]domain.NOC, error) { return db.searchNOC(ctx, query, limit) }
	if !db.resultCache {
		return read()
	}
	// The unit groups change only with LoadReference.
	return cached(&db.changes.nocs, &db.changes.ref, nocSearch{query, limit}, slices.Clone, always, read)
}

func (db *DB) searchNOC(ctx context.Context, query string, limit int) ([]domain.NOC, error) {
	if isDigits(query) {
		// Codes are digits: every code that starts with query sorts
		// from query up to query+":" (':' comes after '9').
		return db.queryNOC(ctx, db.rd.nocPrefix, query, query+":", limit)
	}
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	ns, err := db.queryNOC(ctx, db.rd.nocText, match)
	if err != nil {
		return nil, err
	}
	rankTitles(ns, strings.Fields(strings.ToLower(query)))
	if len(ns) > limit {
		ns = ns[:limit]
	}
	return ns, nil
}

// rankTitles puts whole-word matches ("nurse" in "Registered nurses") before
// mere prefixes ("Nursery"), keeping FTS5's bm25 order among equals.
func rankTitles(ns []domain.NOC, words []string) {
	score := func(n domain.NOC) int {
		s := 0
		for _, title := range []string{n.TitleEN, n.TitleFR} {
			tw := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			for i, w := range words {
				for j, t := range tw {
					if t == w || t == w+"s" || t == w+"es" || w == t+"s" {
						s += 4
						if i == 0 && j == 0 {
							s += 2
						}
						break
					}
				}
			}
		}
		return s
	}
	scores := make(map[string]int, len(ns))
	for _, n := range ns {
		scores[n.Code] = score(n)
	}
	sort.SliceStable(ns, func(i, j int) bool { return scores[ns[i].Code] > scores[ns[j].Code] })
}

func (db *DB) queryNOC(ctx context.Context, s *sql.Stmt, args ...any) ([]domain.NOC, error) {
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search noc: %w", err)
	}
	defer rows.Close()
	var out []domain.NOC
	for rows.Next() {
		var n domain.NOC
		if err := rows.Scan(&n.Code, &n.TitleEN, &n.TitleFR, &n.TEER); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ftsQuery turns user words into a safe FTS5 query: each word is quoted and
// matched as a prefix, so no user text is read as FTS5 syntax.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var parts []string
	for _, w := range words {
		if len(parts) == 8 {
			break
		}
		parts = append(parts, `"`+w+`"*`)
	}
	return strings.Join(parts, " ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
