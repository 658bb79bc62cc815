package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/eebot/eebot/internal/domain"
)

// reads are the statements the answers run, prepared once at Open: SQLite
// compiling the SQL text again on every call was most of a short answer's
// cost. database/sql prepares each again, once, on every reader connection
// it first runs on. Every value is a parameter, LIMIT and OFFSET too.
type reads struct {
	draws [3][2]*sql.Stmt // by drawScope, then newest (0) or oldest (1) first
	count [3]*sql.Stmt    // by drawScope
	dates [3][2]*sql.Stmt // as draws
	sums  [3]*sql.Stmt    // by drawScope (summarySQL)
	draw  *sql.Stmt
	dists *sql.Stmt
	bands *sql.Stmt

	getMeta *sql.Stmt
	meta    *sql.Stmt

	latest *sql.Stmt // the newest draw of each category of a JSON list

	noc         *sql.Stmt
	nocPrefix   *sql.Stmt
	nocText     *sql.Stmt
	categories  *sql.Stmt
	categoryNOC *sql.Stmt
	pnp         *sql.Stmt
	roundNames  *sql.Stmt

	all []*sql.Stmt // for Close
}

// drawScope is which of a DrawFilter's fields select rows.
type drawScope int

const (
	scopeAll      drawScope = iota // every category
	scopeCategory                  // category = ?
	scopeVersion                   // category = ? AND version = ?
)

const oldestFirst = ` ORDER BY date, seq, number`

// drawWhere selects by scope and a date range, with numbered parameters
// (a statement may repeat it). An open end of the range is bound as a
// bound no date passes ("" and "~"), so one statement (and one index
// range) serves every filter of a scope. The parameters after it are
// $3, $4 or ?5 on (nextParam).
func drawWhere(scope drawScope) string {
	switch scope {
	case scopeCategory:
		return ` WHERE category = $1 AND date >= $2 AND date <= $3`
	case scopeVersion:
		return ` WHERE category = $1 AND version = $2 AND date >= $3 AND date <= $4`
	}
	return ` WHERE date >= $1 AND date <= $2`
}

// nextParam is the number of the first parameter after drawWhere's.
func nextParam(scope drawScope) int { return 3 + int(scope) }

// limitOffset is the LIMIT and OFFSET after a scope's WHERE.
func limitOffset(scope drawScope) string {
	n := nextParam(scope)
	return fmt.Sprintf(` LIMIT $%d OFFSET $%d`, n, n+1)
}

// drawArgs returns f's scope and the arguments of its WHERE.
func drawArgs(f domain.DrawFilter) (drawScope, []any) {
	to := f.To
	if to == "" {
		to = "~" // after every digit
	}
	switch {
	case f.Category != "" && f.Version > 0:
		return scopeVersion, []any{string(f.Category), f.Version, f.From, to}
	case f.Category != "":
		return scopeCategory, []any{string(f.Category), f.From, to}
	}
	return scopeAll, []any{f.From, to}
}

// prepareReads prepares every statement of reads on q.
func prepareReads(ctx context.Context, q *sql.DB, d dialect) (*reads, error) {
	r := &reads{}
	var errs []error
	prep := func(query string) *sql.Stmt {
		s, err := q.PrepareContext(ctx, query)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w in %s", err, query))
			return nil
		}
		r.all = append(r.all, s)
		return s
	}
	for scope := range r.draws {
		w := drawWhere(drawScope(scope))
		lo := limitOffset(drawScope(scope))
		r.draws[scope][0] = prep(`SELECT ` + drawCols + ` FROM draws` + w + newestFirst + lo)
		r.draws[scope][1] = prep(`SELECT ` + drawCols + ` FROM draws` + w + oldestFirst + lo)
		r.count[scope] = prep(`SELECT count(*) FROM draws` + w)
		r.dates[scope][0] = prep(`SELECT date FROM draws` + w + newestFirst + lo)
		r.dates[scope][1] = prep(`SELECT date FROM draws` + w + oldestFirst + lo)
		r.sums[scope] = prep(summarySQL(w))
	}
	r.draw = prep(`SELECT ` + drawCols + ` FROM draws WHERE number = $1`)
	r.latest = prep(`SELECT ` + drawCols + ` FROM draws WHERE number IN (
		SELECT (SELECT number FROM draws d WHERE d.category = k.value` + newestFirst + ` LIMIT 1) FROM ` + d.values("$1", "k") + `)`)
	r.dists = prep(`SELECT ` + drawCols + ` FROM draws WHERE dist_total > 0` + newestFirst + ` LIMIT $1`)
	r.bands = prep(bandsSQL)
	r.getMeta = prep(`SELECT value FROM meta WHERE key = $1`)
	r.meta = prep(`SELECT
		coalesce((SELECT value FROM meta WHERE key = $1), ''),
		coalesce((SELECT value FROM meta WHERE key = $2), ''),
		coalesce((SELECT value FROM meta WHERE key = $3), ''),
		coalesce((SELECT max(date) FROM draws), '')`)
	r.noc = prep(`SELECT code, title_en, title_fr, teer FROM noc WHERE code = $1`)
	r.nocPrefix = prep(`SELECT code, title_en, title_fr, teer FROM noc WHERE code >= $1 AND code < $2 ORDER BY code LIMIT $3`)
	r.nocText = prep(nocTextSQL(d))
	r.categories = prep(`SELECT c.key, c.version, c.draw_name, c.name, c.effective_from, c.effective_to,
		c.min_months, c.window_years, c.requirements, c.source_url,
		(SELECT count(*) FROM category_noc n WHERE n.key = c.key AND n.version = c.version)
		FROM category_versions c ORDER BY c.key, c.version`)
	r.categoryNOC = prep(`SELECT key, version, noc_code, title, verified, source_url FROM category_noc`)
	r.pnp = prep(`SELECT id, stream, date, invitations, score_min, score_max, score_rule, type, region, occupations, notes
		FROM pnp_draws ORDER BY date DESC, id LIMIT $1`)
	r.roundNames = prep(`SELECT name_en, name_fr FROM round_names_fr`)
	if len(errs) > 0 {
		r.close()
		return nil, fmt.Errorf("store: prepare: %w", errors.Join(errs...))
	}
	return r, nil
}

// summarySQL adds up the draws a WHERE selects in one statement: two rows,
// the newest and the oldest draw (the same one twice when there is one),
// each followed by the count, the invitations, the lowest cutoff, the
// highest, their sum and the middle one (the mean of the middle two,
// rounded down, for an even count). No row when there is none. The ends
// are index look-ups; the sums read the range once and the middle sorts
// its cutoffs.
func summarySQL(where string) string {
	return `WITH a AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS inv, coalesce(min(crs), 0) AS lo,
			coalesce(max(crs), 0) AS hi, coalesce(sum(crs), 0) AS total FROM draws` + where + `),
		m AS (SELECT coalesce(sum(crs) / count(*), 0) AS med FROM (SELECT crs FROM draws` + where + ` ORDER BY crs
			LIMIT 2 - (SELECT n FROM a) % 2 OFFSET ((SELECT n FROM a) - 1) / 2) AS middle),
		e AS (SELECT * FROM (SELECT number FROM draws` + where + newestFirst + ` LIMIT 1) AS newest
			UNION ALL SELECT * FROM (SELECT number FROM draws` + where + oldestFirst + ` LIMIT 1) AS oldest)
		SELECT ` + prefixed("d.", drawCols) + `, a.n, a.inv, a.lo, a.hi, a.total, m.med
		FROM e JOIN draws d ON d.number = e.number, a, m`
}

// prefixed qualifies each of a list of columns.
func prefixed(p, cols string) string {
	fields := strings.Split(cols, ",")
	for i, f := range fields {
		fields[i] = p + strings.TrimSpace(f)
	}
	return strings.Join(fields, ", ")
}

func (r *reads) close() error {
	var errs []error
	for _, s := range r.all {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// changes counts the commits that may have changed what the caches below
// hold: n those of draws and meta, ref those of reference data. Each cached
// value remembers the count it was read at and is read again once the
// count has moved. A count moves after the commit, and a reader takes it
// before it reads, so a value read before a commit is never kept as
// current after it. Only this DB writes its database (a file is locked to
// one DB: lock.go).
type changes struct {
	n   atomic.Uint64
	ref atomic.Uint64

	meta  atomic.Pointer[cachedMeta]
	lists atomic.Pointer[lists]

	counts keyed[domain.DrawFilter, int]
	// Results of the reads answers make: draws change a few times a week
	// and most questions are about the newest ones, so after the first
	// answer about a category and period the next ones read no row
	// (resultCache). nocs, noc and pnp follow ref.
	draws  keyed[domain.DrawFilter, []domain.Draw]
	latest keyed[string, map[domain.Key]domain.Draw]
	sums   keyed[domain.DrawFilter, domain.DrawSummary]
	dates  keyed[domain.DrawFilter, []string]
	nocs   keyed[nocSearch, []domain.NOC]
	noc    keyed[string, domain.NOC]
	dists  keyed[int, []domain.Draw]
	pnp    keyed[int, []domain.PNPDraw]
}

// nocSearch is a SearchNOC call.
type nocSearch struct {
	query string
	limit int
}

// cached returns the value of key kept in c at count's current value, a
// copy made by cp; else it reads one with read and keeps a copy when keep
// says it is small enough.
func cached[K comparable, V any](c *keyed[K, V], count *atomic.Uint64, key K, cp func(V) V, keep func(V) bool, read func() (V, error)) (V, error) {
	at := count.Load()
	if v, ok := c.get(key, at); ok {
		return cp(v), nil
	}
	v, err := read()
	if err == nil && keep(v) {
		c.put(key, cp(v), at, count.Load())
	}
	return v, err
}

type cachedMeta struct {
	at uint64
	m  domain.FeedMeta
}

// lists are the category lists as read at reference count at: every
// category version, and each code's listings in Eligibility's order.
type lists struct {
	at     uint64
	cats   []domain.CategoryVersion
	byCode map[string][]domain.Eligibility
}

// keyedMax bounds the values a keyed cache holds between two writes (one
// per category, period, page or count asked about); a full cache starts
// again empty. With maxCachedDraws and maxCachedDates it bounds each cache
// to about a megabyte.
const keyedMax = 128

// changed records a commit; call it after the commit, failed or not.
// (On Postgres the version row moves instead: sync.)
func (c *changes) changed() { c.n.Add(1) }

// keyed holds values read at one count of changes.
type keyed[K comparable, V any] struct {
	mu sync.Mutex
	at uint64
	m  map[K]V
}

// get returns the value of key read at count at, if there is one.
func (k *keyed[K, V]) get(key K, at uint64) (V, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.at != at {
		var zero V
		return zero, false
	}
	v, ok := k.m[key]
	return v, ok
}

// put keeps the value of key read at count at, unless now, the count after
// the read, shows a commit came since (the value may be stale already).
func (k *keyed[K, V]) put(key K, v V, at, now uint64) {
	if at != now {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || k.at != at || len(k.m) >= keyedMax {
		k.at, k.m = at, map[K]V{}
	}
	k.m[key] = v
}
