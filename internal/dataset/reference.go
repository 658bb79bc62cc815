// Package dataset reads the embedded data files (categories, NOC unit groups,
// OINP draws, the IRCC feed snapshot) and loads them into the store.
package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
)

var (
	nocCode = regexp.MustCompile(`^[0-9]{5}$`)
	isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// ReadReference parses the reference files in fsys (laid out as data.Files).
func ReadReference(fsys fs.FS) (store.Reference, error) {
	var ref store.Reference
	var err error
	if ref.Categories, err = readFile(fsys, data.Categories, ParseCategories); err != nil {
		return ref, err
	}
	if ref.Eligibility, err = readFile(fsys, data.CategoryNOC, ParseCategoryNOC); err != nil {
		return ref, err
	}
	if ref.NOCs, err = readFile(fsys, data.NOCUnits, ParseNOCs); err != nil {
		return ref, err
	}
	if ref.PNP, err = readFile(fsys, data.OINPDraws, ParseOINP); err != nil {
		return ref, err
	}
	if ref.RoundNamesFR, err = readFile(fsys, data.RoundNamesFR, ParseRoundNamesFR); err != nil {
		return ref, err
	}
	// Every listed code must be a real unit group and every list a known version.
	codes := make(map[string]bool, len(ref.NOCs))
	for _, n := range ref.NOCs {
		codes[n.Code] = true
	}
	versions := map[string]bool{}
	for _, c := range ref.Categories {
		versions[fmt.Sprintf("%s/%d", c.Key, c.Version)] = true
	}
	for _, e := range ref.Eligibility {
		if !codes[e.Code] {
			return ref, fmt.Errorf("dataset: %s: %s v%d lists %s, which is not a NOC 2021 unit group", data.CategoryNOC, e.Key, e.Version, e.Code)
		}
		if !versions[fmt.Sprintf("%s/%d", e.Key, e.Version)] {
			return ref, fmt.Errorf("dataset: %s: %s v%d is not in %s", data.CategoryNOC, e.Key, e.Version, data.Categories)
		}
	}
	return ref, nil
}

func readFile[T any](fsys fs.FS, name string, parse func([]byte) (T, error)) (T, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("dataset: %w", err)
	}
	v, err := parse(b)
	if err != nil {
		return v, fmt.Errorf("dataset: %s: %w", name, err)
	}
	return v, nil
}

// csvRecords reads a CSV with a header and returns rows as header→value maps.
func csvRecords(b []byte, want ...string) ([]map[string]string, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := idx[w]; !ok {
			return nil, fmt.Errorf("missing column %q", w)
		}
	}
	var out []map[string]string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		m := make(map[string]string, len(want))
		for _, w := range want {
			m[w] = strings.TrimSpace(rec[idx[w]])
		}
		m["_line"] = strconv.Itoa(line)
		out = append(out, m)
	}
}

func optInt(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return n, nil
}

func optDate(s string) error {
	if s != "" && !isoDate.MatchString(s) {
		return fmt.Errorf("%q is not a YYYY-MM-DD date", s)
	}
	return nil
}

// ParseCategories parses categories.csv.
func ParseCategories(b []byte) ([]domain.CategoryVersion, error) {
	recs, err := csvRecords(b, "category_key", "version", "draw_name_example", "name_en", "effective_from", "effective_to",
		"min_experience_months", "experience_window_years", "other_requirements", "source_url")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []domain.CategoryVersion
	for _, m := range recs {
		c := domain.CategoryVersion{Key: domain.Key(m["category_key"]), DrawName: m["draw_name_example"], Name: m["name_en"],
			EffectiveFrom: m["effective_from"], EffectiveTo: m["effective_to"], Requirements: m["other_requirements"], SourceURL: m["source_url"]}
		line := m["_line"]
		if c.Key == "" || c.Name == "" {
			return nil, fmt.Errorf("line %s: empty key or name", line)
		}
		if c.Version, err = strconv.Atoi(m["version"]); err != nil || c.Version < 1 {
			return nil, fmt.Errorf("line %s: version %q", line, m["version"])
		}
		if c.MinMonths, err = optInt(m["min_experience_months"]); err != nil {
			return nil, fmt.Errorf("line %s: min_experience_months: %w", line, err)
		}
		if c.WindowYears, err = optInt(m["experience_window_years"]); err != nil {
			return nil, fmt.Errorf("line %s: experience_window_years: %w", line, err)
		}
		if err := errors.Join(optDate(c.EffectiveFrom), optDate(c.EffectiveTo)); err != nil {
			return nil, fmt.Errorf("line %s: %w", line, err)
		}
		k := fmt.Sprintf("%s/%d", c.Key, c.Version)
		if seen[k] {
			return nil, fmt.Errorf("line %s: duplicate %s", line, k)
		}
		seen[k] = true
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no categories")
	}
	return out, nil
}

// ParseCategoryNOC parses category_noc.csv.
func ParseCategoryNOC(b []byte) ([]store.CategoryNOC, error) {
	recs, err := csvRecords(b, "category_key", "version", "noc_code", "noc_title_en", "source_url", "verified")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []store.CategoryNOC
	for _, m := range recs {
		e := store.CategoryNOC{Key: m["category_key"], Code: m["noc_code"], Title: m["noc_title_en"], Source: m["source_url"]}
		line := m["_line"]
		if e.Version, err = strconv.Atoi(m["version"]); err != nil || e.Version < 1 {
			return nil, fmt.Errorf("line %s: version %q", line, m["version"])
		}
		if !nocCode.MatchString(e.Code) {
			return nil, fmt.Errorf("line %s: noc_code %q is not five digits", line, e.Code)
		}
		if e.Verified, err = optInt(m["verified"]); err != nil {
			return nil, fmt.Errorf("line %s: verified: %w", line, err)
		}
		k := fmt.Sprintf("%s/%d/%s", e.Key, e.Version, e.Code)
		if seen[k] {
			return nil, fmt.Errorf("line %s: duplicate %s", line, k)
		}
		seen[k] = true
		out = append(out, e)
	}
	return out, nil
}

// ParseNOCs parses noc2021_unit_groups.csv.
func ParseNOCs(b []byte) ([]domain.NOC, error) {
	recs, err := csvRecords(b, "noc_code", "title_en", "title_fr", "teer")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []domain.NOC
	for _, m := range recs {
		n := domain.NOC{Code: m["noc_code"], TitleEN: m["title_en"], TitleFR: m["title_fr"]}
		line := m["_line"]
		if !nocCode.MatchString(n.Code) || n.TitleEN == "" {
			return nil, fmt.Errorf("line %s: bad code %q or empty title", line, n.Code)
		}
		if n.TEER, err = strconv.Atoi(m["teer"]); err != nil || n.TEER < 0 || n.TEER > 5 {
			return nil, fmt.Errorf("line %s: teer %q", line, m["teer"])
		}
		if seen[n.Code] {
			return nil, fmt.Errorf("line %s: duplicate %s", line, n.Code)
		}
		seen[n.Code] = true
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no unit groups")
	}
	return out, nil
}

// ParseOINP parses oinp_draws.json, whose target_occupations is a string,
// a list or null.
func ParseOINP(b []byte) ([]domain.PNPDraw, error) {
	var doc struct {
		Draws []struct {
			ID          string          `json:"id"`
			StreamName  string          `json:"stream_name"`
			Date        string          `json:"date_issued"`
			Invitations int             `json:"invitations"`
			ScoreMin    *int            `json:"score_min"`
			ScoreMax    *int            `json:"score_max"`
			ScoreRule   string          `json:"score_rule"`
			Type        string          `json:"draw_type"`
			Region      *string         `json:"target_region"`
			Occupations json.RawMessage `json:"target_occupations"`
			Notes       string          `json:"notes"`
		} `json:"draws"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	var out []domain.PNPDraw
	for _, d := range doc.Draws {
		if d.ID == "" || !isoDate.MatchString(d.Date) || d.Invitations < 0 {
			return nil, fmt.Errorf("draw %q: bad id, date or invitations", d.ID)
		}
		p := domain.PNPDraw{ID: d.ID, Stream: d.StreamName, Date: d.Date, Invitations: d.Invitations,
			ScoreRule: d.ScoreRule, Type: d.Type, Notes: d.Notes}
		if d.ScoreMin != nil {
			p.ScoreMin = *d.ScoreMin
		}
		if d.ScoreMax != nil {
			p.ScoreMax = *d.ScoreMax
		}
		if d.Region != nil {
			p.Region = *d.Region
		}
		var one string
		var many []string
		switch {
		case len(d.Occupations) == 0 || string(d.Occupations) == "null":
		case json.Unmarshal(d.Occupations, &one) == nil:
			p.Occupations = one
		case json.Unmarshal(d.Occupations, &many) == nil:
			p.Occupations = strings.Join(many, "; ")
		default:
			return nil, fmt.Errorf("draw %q: target_occupations is neither text nor a list", d.ID)
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseRoundNamesFR reads draw_names_fr.csv (draw_name_en, draw_name_fr,
// draws_seen, note). A name IRCC wrote two ways keeps the one it used for
// more draws; an empty French name means none was found and is left out.
func ParseRoundNamesFR(b []byte) (map[string]string, error) {
	rows, err := csvRecords(b, "draw_name_en", "draw_name_fr", "draws_seen")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	seen := map[string]int{}
	for _, r := range rows {
		en, fr := r["draw_name_en"], r["draw_name_fr"]
		if en == "" || fr == "" {
			continue
		}
		n := len(strings.Fields(r["draws_seen"]))
		if d, _, ok := strings.Cut(r["draws_seen"], " draws"); ok {
			n, _ = strconv.Atoi(d)
		}
		if n > seen[en] {
			out[en], seen[en] = fr, n
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no names")
	}
	return out, nil
}
