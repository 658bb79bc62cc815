package commands

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one word of a question after normalisation: lower case,
// accents folded ("santé" → "sante"), apostrophes split ("l'éligibilité"
// → "l", "eligibilite"), punctuation and emoji gone, runs of three or more
// letters shortened ("pleeease" → "pleease"). accent records that the word
// had a French accent, a hint of the question's language.
type word struct {
	text   string
	accent bool
}

// normalize splits a question into tokens. Digits keep their own
// separators ("3,000", "2026-03", "451-500") so numbers, dates and ranges
// survive; everything else that is not a letter or digit separates words.
func normalize(s string) []word {
	var out []word
	var b strings.Builder
	accent := false
	var last rune
	run := 0
	flush := func() {
		if b.Len() > 0 {
			out = append(out, word{text: b.String(), accent: accent})
		}
		b.Reset()
		accent, last, run = false, 0, 0
	}
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			last, run = r, 0
			continue
		case (r == ',' || r == '.' || r == '-' || r == '/' || r == ':') && last >= '0' && last <= '9' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteRune(r) // inside a number, date, range or time
			last = r
			continue
		case r == '+' && last >= '0' && last <= '9':
			b.WriteRune(r) // "600+": and above
			flush()
			continue
		}
		f, folded := fold(r)
		if !unicode.IsLetter(f) {
			flush()
			continue
		}
		f = unicode.ToLower(f)
		if f == last {
			run++
			if run >= 2 {
				continue // a third repeat of a letter: "sooo", "pleeease"
			}
		} else {
			run = 0
		}
		if folded {
			accent = true
		}
		b.WriteRune(f)
		last = f
	}
	flush()
	return out
}

// fold removes the accents of French letters and ligatures' first letter;
// other letters are returned as they are.
func fold(r rune) (rune, bool) {
	switch r {
	case 'à', 'â', 'ä', 'á', 'À', 'Â', 'Ä', 'Á':
		return 'a', true
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e', true
	case 'î', 'ï', 'í', 'Î', 'Ï':
		return 'i', true
	case 'ô', 'ö', 'ó', 'Ô', 'Ö':
		return 'o', true
	case 'ù', 'û', 'ü', 'ú', 'Ù', 'Û', 'Ü':
		return 'u', true
	case 'ç', 'Ç':
		return 'c', true
	case 'œ', 'Œ':
		return 'o', true
	case 'æ', 'Æ':
		return 'a', true
	case 'ÿ', 'Ÿ':
		return 'y', true
	}
	return r, false
}

// filler is what people add that carries no meaning for the bot.
var fillerWords = map[string]bool{
	"pls": true, "plz": true, "please": true, "pleease": true, "plss": true, "rn": true, "svp": true, "stp": true,
	"thx": true, "thanks": true, "thank": true, "ty": true, "merci": true, "lol": true, "bro": true, "guys": true,
	"folks": true, "anyone": true, "someone": true, "quick": true, "question": true, "q": true,
	"ok": true, "okay": true, "so": true, "um": true, "uh": true, "btw": true, "fyi": true, "kindly": true,
	"help": false, // help is a command word
}
