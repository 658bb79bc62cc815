package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	db.sync(ctx)
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
	db.sync(ctx)
	return cached(&db.changes.nocs, &db.changes.ref, nocSearch{query, limit}, slices.Clone, always, read)
}

func (db *DB) searchNOC(ctx context.Context, query string, limit int) ([]domain.NOC, error) {
	if isDigits(query) {
		// Codes are digits: every code that starts with query sorts
		// from query up to query+":" (':' comes after '9').
		return db.queryNOC(ctx, db.rd.nocPrefix, query, query+":", limit)
	}
	args := []any{ftsQuery(query)}
	if db.d.pg {
		words := foldWords(query)
		if len(words) > maxQueryWords {
			words = words[:maxQueryWords]
		}
		list, _ := json.Marshal(words)
		args = []any{string(list), len(words)}
	}
	if args[0] == "" || args[0] == "null" {
		return nil, nil
	}
	ns, err := db.queryNOC(ctx, db.rd.nocText, args...)
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

// nocTextSQL finds unit groups whose titles have a word starting with each
// word of a query, best first. SQLite: FTS5 with $1 an ftsQuery, ranked
// by bm25 with the English title weighing twice the French. Postgres: the
// word table (noc_fts in migrations_pg) with $1 a JSON list of folded
// words and $2 its length, each word scoring 1 when an English word
// starts with it, else 0.5 for a French one.
func nocTextSQL(d dialect) string {
	if d.pg {
		return `SELECT n.code, n.title_en, n.title_fr, n.teer
		FROM (SELECT code, sum(best) AS score FROM (
				SELECT f.code, q.value, max(CASE f.field WHEN 1 THEN 1.0 ELSE 0.5 END) AS best
				FROM ` + d.values("$1", "q") + ` JOIN noc_fts f ON f.word LIKE q.value || '%'
				GROUP BY f.code, q.value) AS hits
			GROUP BY code HAVING count(*) = $2) AS m
		JOIN noc n ON n.code = m.code
		ORDER BY m.score DESC, n.code
		LIMIT 100`
	}
	return `SELECT n.code, n.title_en, n.title_fr, n.teer
		FROM noc_fts f JOIN noc n ON n.code = f.code
		WHERE noc_fts MATCH $1
		ORDER BY bm25(noc_fts, 0, 1.0, 0.5), n.code
		LIMIT 100`
}

// nocWords are the rows of Postgres's noc_fts for one unit group.
func nocWords(n domain.NOC) [][4]any {
	var out [][4]any
	for field, title := range []string{n.TitleEN, n.TitleFR} {
		seen := map[string]bool{}
		for pos, w := range foldWords(title) {
			if !seen[w] {
				seen[w] = true
				out = append(out, [4]any{n.Code, field + 1, pos, w})
			}
		}
	}
	return out
}

// maxQueryWords bounds the words of a title search.
const maxQueryWords = 8

// ftsQuery turns user words into a safe FTS5 query: each word is quoted and
// matched as a prefix, so no user text is read as FTS5 syntax.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var parts []string
	for _, w := range words {
		if len(parts) == maxQueryWords {
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
