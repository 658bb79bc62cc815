package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/ircc"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store"
)

// firstDay is where synthetic history may start: the feed parser accepts
// dates of this century only, and a tie-break may come
// months before its draw.
var firstDay = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

// Feed returns a synthetic IRCC rounds feed scale times the size of the
// embedded one, in the feed's own format (scale 1 is the embedded feed).
//
// The real rounds come first, unchanged; then scale-1 copies of them, each
// copy squeezed into its own span of days before the first real round
// (2015-01-31), older copies further back, down to 2001-01-01. A copy keeps
// each round's name, sizes, cutoff, programs and pool distribution; it gets
// a new number (copy k of round 91a is 1091a for k=1, 99091a for k=99,
// higher numbers further back) and a date placed proportionally in its
// span, and its links, draw time, tie-break and distribution date follow
// the new number and date. So answers about the recent past are the same
// at every scale, while every query over a category's whole history reads
// scale times as many rows. scale is at most 100.
func Feed(scale int) ([]byte, error) {
	real, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		return nil, err
	}
	if scale == 1 {
		return real, nil
	}
	if scale < 1 || scale > 100 {
		return nil, fmt.Errorf("storetest: feed scale %d: want 1 to 100", scale)
	}
	var feed struct {
		Classes json.RawMessage     `json:"classes"`
		Rounds  []map[string]string `json:"rounds"`
	}
	if err := json.Unmarshal(real, &feed); err != nil {
		return nil, err
	}
	rounds := feed.Rounds
	oldest, newest, err := dateRange(rounds)
	if err != nil {
		return nil, err
	}
	realDays := newest.Sub(oldest).Hours() / 24
	// Each copy gets an equal span of days, ending the day before the one
	// after it starts.
	span := int(oldest.Sub(firstDay).Hours()/24) / (scale - 1)
	if span < 1 {
		return nil, errors.New("storetest: no room for the synthetic rounds")
	}
	out := make([]map[string]string, 0, scale*len(rounds))
	out = append(out, rounds...)
	for k := 1; k < scale; k++ {
		start := oldest.AddDate(0, 0, -k*span)
		for _, r := range rounds {
			date, _ := time.Parse(time.DateOnly, r["drawDate"])
			day := int(date.Sub(oldest).Hours() / 24 * float64(span-1) / realDays)
			c, err := copyRound(r, k, start.AddDate(0, 0, day))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"classes":`)
	buf.Write(feed.Classes)
	buf.WriteString(`,"rounds":[`)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as IRCC writes its anchors: <a href='…'>
	for i, r := range out {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}

func dateRange(rounds []map[string]string) (oldest, newest time.Time, err error) {
	for _, r := range rounds {
		t, err := time.Parse(time.DateOnly, r["drawDate"])
		if err != nil {
			return oldest, newest, fmt.Errorf("storetest: round %s: %w", r["drawNumber"], err)
		}
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
		if t.After(newest) {
			newest = t
		}
	}
	return oldest, newest, nil
}

// copyRound is round r as copy k, dated date.
func copyRound(r map[string]string, k int, date time.Time) (map[string]string, error) {
	c := make(map[string]string, len(r))
	for key, v := range r {
		c[key] = v
	}
	old := r["drawNumber"]
	digits := strings.TrimRight(old, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
	seq, err := strconv.Atoi(digits)
	if err != nil || seq >= 1000 {
		return nil, fmt.Errorf("storetest: round number %q", old)
	}
	number := strconv.Itoa(k*1000+seq) + old[len(digits):]
	c["drawNumber"] = number
	for _, key := range []string{"drawNumberURL", "mitext", "DrawText1"} {
		v := c[key]
		for _, pair := range [][2]string{{"?q=", "'"}, {"-", ".html"}, {">", "<"}, {"#", "<"}} {
			v = strings.ReplaceAll(v, pair[0]+old+pair[1], pair[0]+number+pair[1])
		}
		c[key] = v
	}
	orig, _ := time.Parse(time.DateOnly, r["drawDate"])
	shift := func(t time.Time) time.Time { return t.Add(date.Sub(orig)) }
	c["drawDate"] = date.Format(time.DateOnly)
	c["drawDateFull"] = date.Format("January 2, 2006")
	if t, ok := ircc.ParseTime(r["drawDateTime"], r["drawDate"]); ok {
		t = shift(t)
		c["drawDateTime"] = t.Format("January ") + ordinal(t.Day()) + t.Format(" 2006 at 15:04:05 UTC")
	}
	if t, ok := ircc.ParseTime(r["drawCutOff"], r["drawDate"]); ok {
		c["drawCutOff"] = shift(t).Format("January 2, 2006 at 15:04:05 UTC")
	}
	if s, ok := ircc.ParseLongDate(r["drawDistributionAsOn"]); ok {
		t, _ := time.Parse(time.DateOnly, s)
		c["drawDistributionAsOn"] = shift(t).Format("January 2, 2006")
	}
	return c, nil
}

// ordinal writes a day as IRCC does in drawDateTime: "1st", "22nd", "19th".
func ordinal(d int) string {
	suffix := "th"
	switch {
	case d%100 >= 11 && d%100 <= 13:
	case d%10 == 1:
		suffix = "st"
	case d%10 == 2:
		suffix = "nd"
	case d%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(d) + suffix
}

// Files returns the embedded data files with the rounds feed replaced by
// Feed(scale), for dataset.Seed.
func Files(scale int) (fs.FS, error) {
	feed, err := Feed(scale)
	if err != nil {
		return nil, err
	}
	m := fstest.MapFS{}
	err = fs.WalkDir(data.Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := data.Files.ReadFile(path)
		m[path] = &fstest.MapFile{Data: b, Mode: 0o444}
		return err
	})
	if err != nil {
		return nil, err
	}
	m[data.IRCCFeed] = &fstest.MapFile{Data: feed, Mode: 0o444}
	return m, nil
}

// StoreAt returns an in-memory store seeded from Files(scale). The seeded
// database of each scale is built once per process (seconds at scale 100)
// and copied, as Store does.
func StoreAt(tb testing.TB, scale int) *store.DB {
	tb.Helper()
	if pgtest.OnPostgres() {
		return Postgres(tb, scale)
	}
	if scale == 1 {
		return Store(tb)
	}
	image, err := imageAt(scale)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := openImage(context.Background(), image, quiet())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// FileStore returns a store on a database file in tb.TempDir() seeded from
// Files(scale), opened as the bot opens its file (WAL, a pool of readers),
// with opts. (On Postgres, in the Postgres run of a package's tests:
// pgtest.Rerun.)
func FileStore(tb testing.TB, scale int, opts ...store.Option) *store.DB {
	tb.Helper()
	if pgtest.OnPostgres() {
		return Postgres(tb, scale, opts...)
	}
	image, err := imageAt(scale)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "eebot.db")
	if err := os.WriteFile(path, image, 0o600); err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, quiet(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
