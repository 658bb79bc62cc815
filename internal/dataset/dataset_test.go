package dataset

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eebot/eebot/data"
)

func TestReadReferenceReal(t *testing.T) {
	ref, err := ReadReference(data.Files)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Categories) != 21 || len(ref.Eligibility) != 255 || len(ref.NOCs) != 516 || len(ref.PNP) != 133 {
		t.Errorf("counts: %d categories, %d listings, %d NOCs, %d OINP draws", len(ref.Categories), len(ref.Eligibility), len(ref.NOCs), len(ref.PNP))
	}
	if n := ref.NOCs[0]; n.Code != "00010" || n.TitleEN != "Legislators" || n.TEER != 0 {
		t.Errorf("first NOC = %+v", n)
	}
	var hc3 int
	for _, e := range ref.Eligibility {
		if e.Key == "healthcare" && e.Version == 3 {
			hc3++
			if e.Code == "33109" {
				t.Error("33109 must not be on healthcare version 3")
			}
		}
	}
	if hc3 != 37 {
		t.Errorf("healthcare v3 lists %d codes, want 37", hc3)
	}
}

func TestParsersRejectBadFiles(t *testing.T) {
	catHead := "category_key,version,draw_name_example,name_en,name_fr,effective_from,effective_to,min_experience_months,experience_window_years,other_requirements,source_url\n"
	nocHead := "category_key,version,noc_code,noc_title_en,source_url,verified\n"
	unitHead := "noc_code,title_en,title_fr,teer,broad_category,major_group\n"
	tests := []struct {
		name  string
		parse func([]byte) error
		in    string
		want  string
	}{
		{"categories: no header", func(b []byte) error { _, err := ParseCategories(b); return err }, "", "header"},
		{"categories: missing column", func(b []byte) error { _, err := ParseCategories(b); return err }, "category_key,version\nx,1\n", "missing column"},
		{"categories: bad version", func(b []byte) error { _, err := ParseCategories(b); return err }, catHead + "stem,x,,STEM,,2023-05-31,,6,3,,\n", "version"},
		{"categories: bad date", func(b []byte) error { _, err := ParseCategories(b); return err }, catHead + "stem,1,,STEM,,May 2023,,6,3,,\n", "YYYY-MM-DD"},
		{"categories: duplicate", func(b []byte) error { _, err := ParseCategories(b); return err }, catHead + "stem,1,,STEM,,,,,,,\nstem,1,,STEM,,,,,,,\n", "duplicate"},
		{"listings: 4-digit code", func(b []byte) error { _, err := ParseCategoryNOC(b); return err }, nocHead + "stem,1,2123,Eng,,2\n", "five digits"},
		{"units: bad TEER", func(b []byte) error { _, err := ParseNOCs(b); return err }, unitHead + "00010,Legislators,Membres,9,0,00\n", "teer"},
		{"units: empty", func(b []byte) error { _, err := ParseNOCs(b); return err }, unitHead, "no unit groups"},
		{"oinp: not JSON", func(b []byte) error { _, err := ParseOINP(b); return err }, "{", "unexpected"},
		{"oinp: bad date", func(b []byte) error { _, err := ParseOINP(b); return err }, `{"draws":[{"id":"x","date_issued":"2026-2-1"}]}`, "bad id, date"},
		{"oinp: odd occupations", func(b []byte) error { _, err := ParseOINP(b); return err }, `{"draws":[{"id":"x","date_issued":"2026-02-01","target_occupations":5}]}`, "neither text nor a list"},
	}
	for _, tc := range tests {
		err := tc.parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

// A category list naming a code that is not a NOC unit group is refused:
// the bot never answers from an invented code.
func TestReadReferenceRejectsUnknownCode(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{data.Categories, data.CategoryNOC, data.NOCUnits, data.OINPDraws, data.RoundNamesFR} {
		b, err := data.Files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	fsys[data.CategoryNOC].Data = append(fsys[data.CategoryNOC].Data, []byte("stem,1,99999,Made up,,2\n")...)
	if _, err := ReadReference(fsys); err == nil || !strings.Contains(err.Error(), "99999, which is not a NOC 2021 unit group") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseCSV(f *testing.F) {
	for _, name := range []string{data.Categories, data.CategoryNOC, data.NOCUnits} {
		b, _ := data.Files.ReadFile(name)
		f.Add(string(b[:min(len(b), 2000)]))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if cs, err := ParseCategories([]byte(s)); err == nil {
			for _, c := range cs {
				if c.Key == "" || c.Version < 1 {
					t.Fatalf("accepted %+v", c)
				}
			}
		}
		if es, err := ParseCategoryNOC([]byte(s)); err == nil {
			for _, e := range es {
				if !nocCode.MatchString(e.Code) {
					t.Fatalf("accepted code %q", e.Code)
				}
			}
		}
		if ns, err := ParseNOCs([]byte(s)); err == nil {
			for _, n := range ns {
				if !nocCode.MatchString(n.Code) || n.TitleEN == "" {
					t.Fatalf("accepted %+v", n)
				}
			}
		}
	})
}

func FuzzParseOINP(f *testing.F) {
	b, _ := data.Files.ReadFile(data.OINPDraws)
	f.Add(string(b[:3000]))
	f.Add(`{"draws":[{"id":"a","date_issued":"2026-02-01","target_occupations":["x","y"]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := ParseOINP([]byte(s))
		if err != nil {
			return
		}
		for _, d := range ds {
			if d.ID == "" || !isoDate.MatchString(d.Date) || d.Invitations < 0 {
				t.Fatalf("accepted %+v", d)
			}
		}
	})
}

// Every French round name comes from the file; one IRCC wrote two ways keeps
// the one it used most; the transport 2026 name, never published, is absent.
func TestRoundNamesFR(t *testing.T) {
	ref, err := ReadReference(data.Files)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"Healthcare and Social Services Occupations, 2026-Version 3": "Professions de la santé et des services sociaux 2026-version 3",
		"Canadian Experience Class":                                  "Catégorie de l’expérience canadienne",
		"Trade occupations (Version 1)":                              "Métiers (Version 1)",
		"No Program Specified":                                       "Aucun programme spécifié",
	}
	for en, fr := range tests {
		if got := ref.RoundNamesFR[en]; got != fr {
			t.Errorf("%q → %q, want %q", en, got, fr)
		}
	}
	if got, ok := ref.RoundNamesFR["Transport Occupations, 2026-Version 2"]; ok {
		t.Errorf("transport 2026 has a French name %q the data does not hold", got)
	}
	if len(ref.RoundNamesFR) != 21 {
		t.Errorf("%d names, want 21", len(ref.RoundNamesFR))
	}
}
