package ircc

import (
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// IRCC renames category rounds with every new list ("Trade occupations
// (Version 1)", "Trades Occupations, 2026-Version 3"), so categories are
// matched on keywords, not exact names. Program rounds keep stable names and
// are matched exactly, after normalisation, so that a category word inside a
// program name ("Federal Skilled Trades") never turns it into a category.

// programs maps normalised program names (see words) to keys. The
// abbreviations cover "Canadian Experience Class (CEC)" style names.
var programs = map[string]domain.Key{
	"canadian experience class":           domain.CEC,
	"canadian experience class cec":       domain.CEC,
	"cec":                                 domain.CEC,
	"provincial nominee program":          domain.PNP,
	"provincial nominee program pnp":      domain.PNP,
	"provincial nominee programme":        domain.PNP,
	"pnp":                                 domain.PNP,
	"federal skilled worker":              domain.FSW,
	"federal skilled workers":             domain.FSW,
	"federal skilled worker program":      domain.FSW,
	"federal skilled worker fsw":          domain.FSW,
	"federal skilled worker program fsw":  domain.FSW,
	"federal skilled worker program fswp": domain.FSW,
	"fsw":                                 domain.FSW,
	"federal skilled trades":              domain.FST,
	"federal skilled trade":               domain.FST,
	"federal skilled trades program":      domain.FST,
	"federal skilled trades fst":          domain.FST,
	"federal skilled trades program fst":  domain.FST,
	"federal skilled trades program fstp": domain.FST,
	"fst":                                 domain.FST,
	"general":                             domain.General,
	"general draw":                        domain.General,
	"general round":                       domain.General,
	"all programs":                        domain.General,
	"no program specified":                domain.NoProgram,
}

// programPhrases mark a name as being about a program. A name that holds one
// but is not an exact program name ("Canadian Experience Class - French") is
// left unmapped rather than filed under the category word it also holds.
var programPhrases = []string{"canadian experience class", "provincial nominee", "federal skilled", "no program"}

// categoryWords maps single normalised words to category keys.
var categoryWords = map[string]domain.Key{
	"healthcare": domain.Healthcare, "health": domain.Healthcare,
	"stem":  domain.STEM,
	"trade": domain.Trades, "trades": domain.Trades, "tradespeople": domain.Trades,
	"transport": domain.Transport, "transportation": domain.Transport,
	"agriculture": domain.Agriculture, "agricultural": domain.Agriculture, "agrifood": domain.Agriculture, "agri": domain.Agriculture,
	"french": domain.French, "francophone": domain.French, "francophones": domain.French,
	"education": domain.Education,
	"physician": domain.Physicians, "physicians": domain.Physicians,
	"military":   domain.Military,
	"researcher": domain.Researchers, "researchers": domain.Researchers,
}

// Classify maps a raw drawName to a category key and list version, or to a
// program key (version 0). A name no rule knows, or one that names several
// categories at once, gives domain.Unmapped: the caller keeps the raw name,
// and nothing is folded into a category it may not belong to.
func Classify(name string) (key domain.Key, version int, kind domain.RoundType) {
	w := words(name)
	if len(w) == 0 || len(w) > 30 {
		return domain.Unmapped, 0, domain.TypeUnmapped
	}
	joined := strings.Join(w, " ")
	if k, ok := programs[joined]; ok {
		return k, 0, domain.TypeProgram
	}
	padded := " " + joined + " "
	for _, p := range programPhrases {
		if strings.Contains(padded, " "+p+" ") {
			return domain.Unmapped, 0, domain.TypeUnmapped
		}
	}
	var found domain.Key
	add := func(k domain.Key) bool {
		if found != "" && found != k {
			return false
		}
		found = k
		return true
	}
	for i, x := range w {
		k := categoryWords[x]
		switch {
		case x == "science" || x == "sciences":
			// "Science, Technology, Engineering and Math" spelled out.
			if has(w, "technology") && has(w, "engineering") {
				k = domain.STEM
			}
		case x == "senior" && i+1 < len(w) && strings.HasPrefix(w[i+1], "manage"):
			k = domain.SeniorManagers
		case x == "armed" && i+1 < len(w) && w[i+1] == "forces":
			k = domain.Military
		}
		if k != "" && !add(k) {
			return domain.Unmapped, 0, domain.TypeUnmapped
		}
	}
	if found == "" {
		return domain.Unmapped, 0, domain.TypeUnmapped
	}
	return found, readVersion(w), domain.TypeCategory
}

// words lower-cases name and splits it on anything that is not a letter or a
// digit, so "French-Language proficiency 2026-Version 2" and "french language
// proficiency (2026 version 2)" give the same words. Digits are split from
// letters ("v2" gives "v", "2").
func words(name string) []string {
	var out []string
	var b strings.Builder
	kind := 0 // 0 none, 1 letters, 2 digits
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		k := 0
		switch {
		case isLetter(c):
			k, c = 1, c|0x20
		case isDigit(c):
			k = 2
		}
		if k != kind {
			flush()
			kind = k
		}
		if k != 0 {
			b.WriteByte(c)
		}
	}
	flush()
	return out
}

func has(w []string, x string) bool {
	for _, y := range w {
		if y == x {
			return true
		}
	}
	return false
}

// readVersion reads the list version from "(Version 2)", "2026-Version 3", "v2"
// or the "(2023-1)" year-and-number form. It returns 0 when none is given.
func readVersion(w []string) int {
	for i := 0; i+1 < len(w); i++ {
		if w[i] == "version" || w[i] == "v" || w[i] == "ver" {
			if n, ok := smallNumber(w[i+1]); ok {
				return n
			}
		}
	}
	// "(2023-1)": a year followed by a small number, closing the name.
	if n := len(w); n >= 2 && len(w[n-2]) == 4 && strings.HasPrefix(w[n-2], "20") {
		if v, ok := smallNumber(w[n-1]); ok {
			return v
		}
	}
	return 0
}

func smallNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 2 || !isDigit(s[0]) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}
