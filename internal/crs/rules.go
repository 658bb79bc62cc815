package crs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/eebot/eebot/data"
)

// Rules are the CRS criteria in force from one date: IRCC's tables, read
// from one data/crs/rules-YYYY-MM-DD.toml file.
type Rules struct {
	Effective string // YYYY-MM-DD
	Source    string

	Caps struct {
		Core                 [2]int `toml:"core"` // [with spouse, without]
		SecondLanguage       [2]int `toml:"second_language"`
		Spouse               int    `toml:"spouse"`
		Transferability      int    `toml:"transferability"`
		TransferabilityGroup int    `toml:"transferability_group"`
		Additional           int    `toml:"additional"`
		Total                int    `toml:"total"`
	} `toml:"caps"`
	Core struct {
		Age            [][3]int             `toml:"age"`
		Education      map[Education][2]int `toml:"education"`
		FirstLanguage  [][3]int             `toml:"first_language"`
		SecondLanguage [][3]int             `toml:"second_language"`
		CanadianWork   [][3]int             `toml:"canadian_work"`
	} `toml:"core"`
	SpouseFactors struct {
		Education    map[Education]int `toml:"education"`
		Language     [][2]int          `toml:"language"`
		CanadianWork [][2]int          `toml:"canadian_work"`
	} `toml:"spouse"`
	Transfer struct {
		EducationTier       map[Education]int `toml:"education_tier"`
		ForeignTier         [][2]int          `toml:"foreign_tier"`
		LanguageColumns     [2]int            `toml:"language_columns"`
		CanadianColumns     [2]int            `toml:"canadian_columns"`
		CertificateColumns  [2]int            `toml:"certificate_columns"`
		EducationLanguage   [2][2]int         `toml:"education_language"`
		EducationCanadian   [2][2]int         `toml:"education_canadian"`
		ForeignLanguage     [2][2]int         `toml:"foreign_language"`
		ForeignCanadian     [2][2]int         `toml:"foreign_canadian"`
		CertificateLanguage [2]int            `toml:"certificate_language"`
	} `toml:"transferability"`
	Additional struct {
		Nomination    int            `toml:"provincial_nomination"`
		Sibling       int            `toml:"sibling"`
		Study         map[Study]int  `toml:"study"`
		FrenchNCLC    int            `toml:"french_nclc"`
		FrenchEnglish int            `toml:"french_english_clb"`
		FrenchAlone   int            `toml:"french_without_english"`
		FrenchBoth    int            `toml:"french_with_english"`
		Offer         map[string]int `toml:"arranged_employment"`
	} `toml:"additional"`
}

// Set is every version of the rules, oldest first.
type Set struct {
	versions []*Rules
	tests    []*TestTable
}

// Load reads every rules-*.toml and the language test tables from fsys (a
// directory laid out as data/crs).
func Load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "rules-*.toml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("crs: no rules-*.toml")
	}
	s := &Set{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		r, err := parseRules(b)
		if err != nil {
			return nil, fmt.Errorf("crs: %s: %w", name, err)
		}
		if want := strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "rules-"), ".toml"); r.Effective != want {
			return nil, fmt.Errorf("crs: %s: effective %q does not match its file name", name, r.Effective)
		}
		s.versions = append(s.versions, r)
	}
	sort.Slice(s.versions, func(i, j int) bool { return s.versions[i].Effective < s.versions[j].Effective })
	if b, err := fs.ReadFile(fsys, "language-tests.toml"); err == nil {
		if s.tests, err = parseTests(b); err != nil {
			return nil, fmt.Errorf("crs: language-tests.toml: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return s, nil
}

// Default is the embedded rules (data/crs). It panics if they do not load:
// they are part of the binary and tested.
func Default() *Set {
	sub, err := fs.Sub(data.CRS, "crs")
	if err != nil {
		panic(err)
	}
	s, err := Load(sub)
	if err != nil {
		panic(err)
	}
	return s
}

// At returns the rules in force on date (YYYY-MM-DD); ok is false before
// the first version held.
func (s *Set) At(date string) (*Rules, bool) {
	var in *Rules
	for _, r := range s.versions {
		if r.Effective <= date {
			in = r
		}
	}
	return in, in != nil
}

// Latest is the newest version.
func (s *Set) Latest() *Rules { return s.versions[len(s.versions)-1] }

// Versions lists every version, oldest first.
func (s *Set) Versions() []*Rules { return slices.Clone(s.versions) }

// parseRules decodes and checks one rules file.
func parseRules(b []byte) (*Rules, error) {
	r := &Rules{}
	md, err := toml.Decode(string(b), r)
	if err != nil {
		return nil, err
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("unknown keys %v", un)
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// check refuses a table that cannot be what IRCC publishes: a missing
// education level, bands out of order, a cap of zero.
func (r *Rules) check() error {
	if _, err := time.Parse(time.DateOnly, r.Effective); err != nil {
		return fmt.Errorf("effective %q: want YYYY-MM-DD", r.Effective)
	}
	c := r.Caps
	if c.Core[0] <= 0 || c.Core[1] <= 0 || c.SecondLanguage[0] <= 0 || c.SecondLanguage[1] <= 0 || c.Spouse <= 0 ||
		c.Transferability <= 0 || c.TransferabilityGroup <= 0 || c.Additional <= 0 || c.Total <= 0 {
		return errors.New("caps: every cap must be set")
	}
	bands := map[string][]int{}
	for name, rows := range map[string][][3]int{"core.age": r.Core.Age, "core.first_language": r.Core.FirstLanguage,
		"core.second_language": r.Core.SecondLanguage, "core.canadian_work": r.Core.CanadianWork} {
		for _, row := range rows {
			bands[name] = append(bands[name], row[0])
		}
	}
	for name, rows := range map[string][][2]int{"spouse.language": r.SpouseFactors.Language,
		"spouse.canadian_work": r.SpouseFactors.CanadianWork, "transferability.foreign_tier": r.Transfer.ForeignTier} {
		for _, row := range rows {
			bands[name] = append(bands[name], row[0])
		}
	}
	for name, from := range bands {
		if len(from) == 0 || from[0] != 0 {
			return fmt.Errorf("%s: the first row must start at 0", name)
		}
		for i := 1; i < len(from); i++ {
			if from[i] <= from[i-1] {
				return fmt.Errorf("%s: rows out of order at %d", name, from[i])
			}
		}
	}
	for _, e := range Educations {
		if _, ok := r.Core.Education[e]; !ok {
			return fmt.Errorf("core.education: no %q", e)
		}
		if _, ok := r.SpouseFactors.Education[e]; !ok {
			return fmt.Errorf("spouse.education: no %q", e)
		}
		t, ok := r.Transfer.EducationTier[e]
		if !ok || t < 0 || t > 2 {
			return fmt.Errorf("transferability.education_tier: %q must be 0, 1 or 2", e)
		}
	}
	if len(r.Core.Education) != len(Educations) || len(r.SpouseFactors.Education) != len(Educations) || len(r.Transfer.EducationTier) != len(Educations) {
		return errors.New("education: unknown level")
	}
	for _, row := range r.Transfer.ForeignTier {
		if row[1] < 0 || row[1] > 2 {
			return fmt.Errorf("transferability.foreign_tier: tier %d must be 0, 1 or 2", row[1])
		}
	}
	for _, s := range Studies {
		if _, ok := r.Additional.Study[s]; !ok {
			return fmt.Errorf("additional.study: no %q", s)
		}
	}
	if len(r.Additional.Study) != len(Studies) {
		return errors.New("additional.study: unknown band")
	}
	for k := range r.Additional.Offer {
		if k != string(OfferMajor00) && k != string(OfferOther) {
			return fmt.Errorf("additional.arranged_employment: unknown kind %q", k)
		}
	}
	return nil
}

// band returns the row of a banded table that applies to v: the last whose
// first column is at or below v.
func band[R ~[2]int | ~[3]int](rows []R, v int) R {
	var out R
	for _, row := range rows {
		if row[0] <= v {
			out = row
		}
	}
	return out
}

// col is the column of a [with spouse, without] pair.
func col(spouse bool) int {
	if spouse {
		return 0
	}
	return 1
}
