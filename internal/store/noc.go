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

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

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
			tw := strings.FieldsFunc(strings.ToLower(title), notInWord)
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
// word of a query, best first: by FTS5's bm25 with the English title
// weighing 1 and the French 0.5, then by code.
//
// SQLite: FTS5 itself, with $1 an ftsQuery. Postgres: the same ranking
// computed over noc_fts, a row per word of each title (migrations_pg),
// with $1 a JSON list of the query's folded words and $2 its length, so
// both engines answer alike. As in FTS5 (k1 1.2, b 0.75): each query word
// scores idf × f(k1+1) / (f + k1(1 - b + b·len/avglen)), where f adds up
// the weights of the title words it starts, len counts the unit group's
// words in both titles, and idf is ln((N - n + 0.5) / (n + 0.5)) over the
// N unit groups, n of which it matches (at least 1e-6). Scores are
// rounded to 9 places, so that a tie (two titles alike in every count)
// goes to the lower code on both, whatever order each adds up in.
func nocTextSQL(d dialect) string {
	if d.pg {
		return `WITH q AS (SELECT value AS w, i FROM json_array_elements_text($1::json) WITH ORDINALITY AS q(value, i)),
		hits AS (SELECT q.i, f.code, sum(CASE f.field WHEN 1 THEN 1.0 ELSE 0.5 END)::float8 AS freq
			FROM q JOIN noc_fts f ON f.word LIKE q.w || '%' GROUP BY q.i, f.code),
		total AS (SELECT count(*)::float8 AS n, (SELECT count(*) FROM noc_fts)::float8 / greatest(count(*), 1) AS avglen FROM noc),
		idf AS (SELECT h.i, CASE WHEN ln((t.n - count(*) + 0.5) / (count(*) + 0.5)) > 0
				THEN ln((t.n - count(*) + 0.5) / (count(*) + 0.5)) ELSE 1e-6 END AS idf
			FROM hits h, total t GROUP BY h.i, t.n),
		found AS (SELECT code FROM hits GROUP BY code HAVING count(*) = $2),
		lens AS (SELECT f.code, count(*)::float8 AS len FROM noc_fts f JOIN found USING (code) GROUP BY f.code),
		ranked AS (SELECT h.code, sum(x.idf * (h.freq * 2.2) / (h.freq + 1.2 * (0.25 + 0.75 * l.len / t.avglen))) AS score
			FROM hits h JOIN idf x ON x.i = h.i JOIN lens l ON l.code = h.code, total t GROUP BY h.code)
		SELECT n.code, n.title_en, n.title_fr, n.teer FROM ranked r JOIN noc n ON n.code = r.code
		ORDER BY round(r.score::numeric, 9) DESC, n.code
		LIMIT 100`
	}
	return `SELECT n.code, n.title_en, n.title_fr, n.teer
		FROM noc_fts f JOIN noc n ON n.code = f.code
		WHERE noc_fts MATCH $1
		ORDER BY round(bm25(noc_fts, 0, 1.0, 0.5), 9), n.code
		LIMIT 100`
}

// nocWords are the rows of Postgres's noc_fts for one unit group: every
// word of its titles, repeats too (they count, as in FTS5).
func nocWords(n domain.NOC) [][4]any {
	var out [][4]any
	for field, title := range []string{n.TitleEN, n.TitleFR} {
		for pos, w := range foldWords(title) {
			out = append(out, [4]any{n.Code, field + 1, pos, w})
		}
	}
	return out
}

// maxQueryWords bounds the words of a title search.
const maxQueryWords = 8

// ftsQuery turns user words into a safe FTS5 query: each word is quoted and
// matched as a prefix, so no user text is read as FTS5 syntax.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, notInWord)
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

// notInWord separates the words of titles and queries, as FTS5's
// unicode61 tokenizer does: anything but a letter or a digit.
func notInWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// foldWords splits s into words of letters and digits, folded for the
// Postgres NOC word index as SQLite's FTS5 tokenizer folds them (unicode61,
// remove_diacritics 2): lower case, no accents. (A transformer keeps state:
// one per call.)
func foldWords(s string) []string {
	fold := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(fold, strings.ToLower(s))
	if err != nil {
		folded = strings.ToLower(s)
	}
	return strings.FieldsFunc(folded, notInWord)
}
