package ircc

import (
	"testing"

	"github.com/eebot/eebot/internal/domain"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name    string
		key     domain.Key
		version int
	}{
		// All 22 drawName values of the snapshot.
		{"French-Language proficiency 2026-Version 2", domain.French, 2},
		{"Canadian Experience Class", domain.CEC, 0},
		{"Provincial Nominee Program", domain.PNP, 0},
		{"Transport Occupations, 2026-Version 2", domain.Transport, 2},
		{"Skilled Military Recruits, 2026-Version 1", domain.Military, 1},
		{"Senior managers with Canadian Work Experience, 2026-Version 1", domain.SeniorManagers, 1},
		{"Healthcare and Social Services Occupations, 2026-Version 3", domain.Healthcare, 3},
		{"Physicians with Canadian Work Experience, 2026-Version 1", domain.Physicians, 1},
		{"Trades Occupations, 2026-Version 3", domain.Trades, 3},
		{"French language proficiency (Version 1)", domain.French, 1},
		{"Healthcare and social services occupations (Version 2)", domain.Healthcare, 2},
		{"Trade occupations (Version 2)", domain.Trades, 2},
		{"Education occupations (Version 1)", domain.Education, 1},
		{"Healthcare occupations (Version 1)", domain.Healthcare, 1},
		{"Trade occupations (Version 1)", domain.Trades, 1},
		{"General", domain.General, 0},
		{"STEM occupations (Version 1)", domain.STEM, 1},
		{"Transport occupations (Version 1)", domain.Transport, 1},
		{"Agriculture and agri-food occupations (Version 1)", domain.Agriculture, 1},
		{"No Program Specified", domain.NoProgram, 0},
		{"Federal Skilled Worker", domain.FSW, 0},
		{"Federal Skilled Trades", domain.FST, 0},

		// Program names with minor variants.
		{"Canadian Experience Class (CEC)", domain.CEC, 0},
		{"canadian experience class", domain.CEC, 0},
		{"Provincial Nominee Program (PNP)", domain.PNP, 0},
		{"  Provincial  Nominee Program. ", domain.PNP, 0},
		{"Federal Skilled Worker Program", domain.FSW, 0},
		{"Federal Skilled Trades Program", domain.FST, 0},
		{"FEDERAL SKILLED TRADES", domain.FST, 0},
		{"General draw", domain.General, 0},
		{"No program specified", domain.NoProgram, 0},

		// Renames and plausible future names.
		{"Healthcare and Social Services Occupations, 2027-Version 4", domain.Healthcare, 4},
		{"Health care and social services occupations (Version 2)", domain.Healthcare, 2},
		{"Healthcare and social services occupations (Version 1)", domain.Healthcare, 1},
		{"Trades Occupations (Version 4)", domain.Trades, 4},
		{"Trades occupation (2023-1)", domain.Trades, 1},
		{"Skilled trades occupations 2027-version 1", domain.Trades, 1},
		{"STEM Occupations, 2027-Version 1", domain.STEM, 1},
		{"Science, Technology, Engineering and Math occupations (Version 2)", domain.STEM, 2},
		{"Science, Technology, Engineering and Mathematics (STEM) occupations", domain.STEM, 0},
		{"Transportation occupations, 2027-Version 3", domain.Transport, 3},
		{"French-language proficiency", domain.French, 0},
		{"Francophone candidates 2026-version 1", domain.French, 1},
		{"Agriculture and Agri-Food Occupations, 2027-Version 2", domain.Agriculture, 2},
		{"Education Occupations, 2026-Version 2", domain.Education, 2},
		{"Physicians with Canadian work experience (v2)", domain.Physicians, 2},
		{"Senior Managers, 2026-version 1", domain.SeniorManagers, 1},
		{"Senior management with Canadian Work Experience", domain.SeniorManagers, 0},
		{"Researchers with Canadian Work Experience, 2026-Version 1", domain.Researchers, 1},
		{"Skilled military recruits", domain.Military, 0},
		{"Canadian Armed Forces recruits, 2027-Version 1", domain.Military, 1},
		{"healthcare-occupations--version-2", domain.Healthcare, 2},

		// Unmapped: unknown, ambiguous, or a program name with a category word.
		{"", domain.Unmapped, 0},
		{"   ", domain.Unmapped, 0},
		{"Healthcare and Trades", domain.Unmapped, 0},
		{"French and STEM occupations (Version 1)", domain.Unmapped, 0},
		{"Canadian Experience Class - French", domain.Unmapped, 0},
		{"Federal Skilled Trades occupations", domain.Unmapped, 0},
		{"Provincial Nominee Program, Healthcare", domain.Unmapped, 0},
		{"Manufacturing occupations, 2027-Version 1", domain.Unmapped, 0},
		{"Occupations (Version 1)", domain.Unmapped, 0},
		{"Managers, 2026-Version 1", domain.Unmapped, 0},
		{"Science occupations", domain.Unmapped, 0},
		{"Canadian Experience", domain.Unmapped, 0},
		{"Provincial", domain.Unmapped, 0},
		{"Santé et services sociaux", domain.Unmapped, 0},
	}
	for _, tc := range tests {
		key, ver, kind := Classify(tc.name)
		wantKind := domain.TypeCategory
		switch {
		case tc.key == domain.Unmapped:
			wantKind = domain.TypeUnmapped
		case isProgram(tc.key):
			wantKind = domain.TypeProgram
		}
		if key != tc.key || ver != tc.version || kind != wantKind {
			t.Errorf("Classify(%q) = %q, %d, %q; want %q, %d, %q", tc.name, key, ver, kind, tc.key, tc.version, wantKind)
		}
	}
}

func isProgram(key domain.Key) bool {
	for _, k := range domain.ProgramKeys() {
		if k == key {
			return true
		}
	}
	return false
}

// Every draw of the snapshot must land on a known key, and match the
// (key, version) table of data/categories/PROVENANCE.md: checked above for
// each name, here for counts per key.
func TestClassifySnapshot(t *testing.T) {
	draws, err := Parse(snapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	count := map[domain.Key]int{}
	for _, d := range draws {
		if d.Type == domain.TypeUnmapped {
			t.Errorf("draw %s %q unmapped", d.Number, d.Name)
		}
		if d.Type == domain.TypeCategory && d.Version == 0 {
			t.Errorf("draw %s %q: category without version", d.Number, d.Name)
		}
		count[d.Category]++
	}
	want := map[domain.Key]int{
		domain.NoProgram: 167, domain.PNP: 111, domain.CEC: 67, domain.French: 36,
		domain.General: 11, domain.Healthcare: 15, domain.FST: 7, domain.Trades: 6,
		domain.STEM: 3, domain.Transport: 4, domain.Agriculture: 3, domain.Education: 2,
		domain.Physicians: 2, domain.SeniorManagers: 2, domain.Military: 1, domain.FSW: 1,
	}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d draws, want %d", k, count[k], n)
		}
	}
	if len(count) != len(want) {
		t.Errorf("keys %v", count)
	}
}
