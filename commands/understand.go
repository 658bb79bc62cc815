package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// What understanding a question can lead to.
type verdict int

const (
	verdictCommand  verdict = iota // a command line to run
	verdictClarify                 // two readings are close: ask which, with choices
	verdictGreeting                // hello: a welcome
	verdictDecline                 // not something the bot answers
	verdictPredict                 // asks for a prediction, which nobody can give
	verdictBadScore                // a "score" no CRS can be
	verdictEmpty                   // nothing typed
)

// understanding is what a question was taken to mean.
type understanding struct {
	verdict verdict
	line    string   // the command line, for verdictCommand
	choices []string // command lines, for verdictClarify
	lang    string   // "fr" when the question was French, "en" when English, "" when unsure
}

// vocabulary is what the question reader knows beyond its fixed word
// lists: the words of every NOC title (for typo correction) and the pairs
// of words found in titles (so "school teachers" stays a title, not the
// education category).
type vocabulary struct {
	sp      *speller
	bigrams map[string]bool
}

// vocab builds the vocabulary once, from the fixed word lists and the NOC
// titles in the store.
func (e *Engine) vocab() *vocabulary {
	e.vocabOnce.Do(func() {
		v := &vocabulary{sp: newSpeller(), bigrams: map[string]bool{}}
		for _, m := range []map[string]bool{lastWords, drawOne, drawMany, cutoffWords, nextWords, futureWords, guessWords, leftWords,
			howMany, aggWords, statsWords, historyWords, listWords, eligibleWords, eligibleWeak, nocWords, myWords, chanceWords,
			poolWords, peopleWords, aboveWords, atWords, greetWords, categoryNoun, stopWords, connectors, frenchMarkers, englishMarkers, offTopic, chartWords, calcWords, alertWords, offWords} {
			for w := range m {
				v.sp.add(w, 0)
			}
		}
		for w := range categoryWords {
			v.sp.add(w, 0)
		}
		for p := range categoryPhrases {
			for _, w := range strings.Fields(p) {
				v.sp.add(w, 0)
			}
		}
		for w := range months {
			v.sp.add(w, 0)
		}
		for _, s := range e.list {
			v.sp.add(s.Name, 0)
		}
		for d := range 10 {
			ns, err := e.store.SearchNOC(context.Background(), strconv.Itoa(d), 1000)
			if err != nil {
				e.log.Error("question vocabulary: NOC titles", "err", err)
				break
			}
			for _, n := range ns {
				for _, title := range []string{n.TitleEN, n.TitleFR} {
					var prev string
					for _, w := range normalize(title) {
						v.sp.add(w.text, 1)
						if prev != "" {
							v.bigrams[prev+" "+w.text] = true
						}
						prev = w.text
					}
				}
			}
		}
		v.sp.freeze()
		e.vocabulary = v
	})
	return e.vocabulary
}

// vocabState is embedded in Engine: the vocabulary is built on first use.
type vocabState struct {
	vocabOnce  sync.Once
	vocabulary *vocabulary
}

// understand reads a question typed in plain words, in English or French.
func (e *Engine) understand(text string) understanding {
	v := e.vocab()
	q := parseQuestion(text, v.sp)
	u := understanding{lang: q.lang()}
	if len(q.words) == 0 {
		if strings.TrimSpace(text) == "" {
			u.verdict = verdictEmpty
		} else {
			u.verdict = verdictDecline
		}
		return u
	}
	q.keepTitleCategories(v.bigrams)
	u.verdict, u.line, u.choices = q.decide(v.sp)
	return u
}

// lang says which language the question is in, when it says.
func (q *question) lang() string {
	switch {
	case q.fr > q.en:
		return "fr"
	case q.en > 0:
		return "en"
	}
	return ""
}

// keepTitleCategories gives a category word back to a title when the two
// words before and with it form part of a NOC title ("school teachers"):
// the person named an occupation, not the category.
func (q *question) keepTitleCategories(bigrams map[string]bool) {
	for i := 1; i < len(q.words); i++ {
		key, single := categoryWords[q.words[i]]
		if !single || !q.used[i] || q.used[i-1] || stopWords[q.words[i-1]] || connectors[q.words[i-1]] {
			continue
		}
		if bigrams[q.words[i-1]+" "+q.words[i]] {
			q.used[i] = false
			q.cats = remove(q.cats, key)
		}
	}
}

func remove[T comparable](xs []T, x T) []T {
	return slices.DeleteFunc(xs, func(y T) bool { return y == x })
}

// decide picks what the question asks, most specific readings first.
func (q *question) decide(sp *speller) (verdict, string, []string) {
	cat := ""
	if len(q.cats) > 0 {
		cat = string(q.cats[0])
	}
	withCat := func(cmd string, rest ...string) string {
		parts := []string{cmd}
		if cat != "" {
			parts = append(parts, cat)
		} else if cmd == "cutoff" {
			parts = append(parts, string(all))
		}
		for _, r := range rest {
			if r != "" {
				parts = append(parts, r)
			}
		}
		return strings.Join(parts, " ")
	}
	asksWhen := q.has("when", "quand") || q.phrase("how long") || q.phrase("c est quand")
	score, scoreAt, cued := q.score()

	switch {
	case q.greetingOnly():
		return verdictGreeting, "", nil
	case q.kw(offTopic) && len(q.codes) == 0:
		return verdictDecline, "", nil
	}
	if line, ok := q.alertLine(score); ok && score <= maxCRS {
		return verdictCommand, line, nil
	}
	switch {
	case cued && (score > maxCRS):
		return verdictBadScore, "", nil
	case q.kw(guessWords) && !asksWhen, q.any("c est sur", "for sure", "vais recevoir") && score == 0,
		q.kw(futureWords) && (q.has("cutoff", "seuil", "score", "crs", "scg") || q.has("points", "combien") && score == 0) && !asksWhen,
		q.kw(leftWords) && q.kw(drawOne, drawMany, howMany):
		return verdictPredict, "", nil
	case len(q.codes) > 0:
		return verdictCommand, "eligible " + q.codes[0], nil
	case q.asksAbout():
		return verdictCommand, "about", nil
	case q.kw(nextWords) || q.any("this week", "cette semaine", "coming up") && !q.has("was", "did", "were", "happened", "etait", "eu") || asksWhen && q.has("will", "might", "usually"):
		return verdictCommand, withCat("next"), nil
	case (q.has("categories") || q.any("category based draws", "in force", "en vigueur")) && len(q.cats) == 0 && len(q.nums) == 0 && !q.kw(eligibleWords):
		return verdictCommand, "categories", nil
	}
	if line, ok := q.chartLine(sp); ok {
		return verdictCommand, line, nil
	}
	if line, ok := q.poolLine(score); ok {
		return verdictCommand, line, nil
	}
	if score == 0 && q.asksOwnScore() {
		return verdictCommand, "crs", nil
	}
	title := q.title()
	switch {
	case score > 0 && (cued || q.kw(myWords, chanceWords)):
		return verdictCommand, strings.TrimSpace("match " + strconv.Itoa(score) + " " + cat), nil
	case title != "" && q.kw(nocWords) && !q.kw(eligibleWords):
		return verdictCommand, "noc " + title, nil
	case title != "" && (q.kw(eligibleWords) || q.kw(eligibleWeak) && (len(q.cats) > 0 || q.kw(categoryNoun)) ||
		q.any("on the list", "any list", "on a list", "on any list", "sur la liste", "which category", "quelle categorie")):
		return verdictCommand, "eligible " + title, nil
	}
	last := q.kw(lastWords) || q.phrase("most recent") || q.phrase("derniere fois")
	one := q.kw(drawOne) && !q.kw(drawMany)
	many := q.kw(drawMany)
	period := q.period
	if period == "" && (q.phrase("in total") || q.phrase("au total") && q.kw(drawOne, drawMany)) && !q.has("invited") {
		period = "ever"
	}
	switch {
	case q.count > 0 && (many || one || last || len(q.cats) > 0):
		return verdictCommand, withCat("draws", strconv.Itoa(q.count), period), nil
	case last && one && q.period != "":
		return verdictCommand, withCat("draws", "1", q.period), nil
	case last && one && q.period == "",
		last && !many && q.period == "" && !q.kw(aggWords, statsWords) && (q.kw(cutoffWords) || len(q.cats) > 0):
		return verdictCommand, withCat("cutoff"), nil
	case q.kw(statsWords),
		q.kw(aggWords) && (period != "" || many || one || q.kw(cutoffWords)) && !q.phrase("le plus facile"),
		q.howMany() && (period != "" || many) && !last:
		return verdictCommand, withCat("stats", period), nil
	case q.kw(historyWords) && (many || one || q.has("history", "historique")) && len(q.cats) > 0:
		return verdictCommand, withCat("history", q.period), nil
	case many && (last || period != "" || q.kw(listWords)):
		return verdictCommand, withCat("draws", period), nil
	case q.kw(cutoffWords) && q.period != "" && len(q.cats) <= 1:
		if q.month || len(q.cats) == 1 {
			return verdictCommand, withCat("draws", q.period), nil
		}
		return verdictClarify, "", []string{"draws " + q.period, "stats " + q.period}
	case len(q.cats) >= 2 && q.kw(cutoffWords, lastWords):
		return verdictClarify, "", []string{"cutoff " + string(q.cats[0]), "cutoff " + string(q.cats[1])}
	case last || one || (q.kw(cutoffWords) && (len(q.cats) > 0 || q.kw(drawOne))) || q.kw(invitedWords) && q.kw(drawOne, lastWords):
		return verdictCommand, withCat("cutoff"), nil
	}
	// What is left is bare: a category, a number, a period, a title word.
	rest := q.unusedMeaningful()
	switch {
	case score > 0 && q.period != "" && len(q.cats) == 0:
		return verdictClarify, "", []string{"match " + strconv.Itoa(score), "draws " + q.period}
	case score > 0 && rest <= 1:
		return verdictClarify, "", []string{strings.TrimSpace("match " + strconv.Itoa(score) + " " + cat), "pool above " + strconv.Itoa(score)}
	case len(q.cats) == 1 && q.period != "" && rest <= 2:
		list := "draws"
		if strings.HasPrefix(q.period, "since ") {
			list = "history"
		}
		return verdictClarify, "", []string{withCat(list, q.period), withCat("stats", q.period)}
	case len(q.cats) == 1 && rest <= 1:
		return verdictCommand, withCat("cutoff"), nil
	case q.kw(poolWords):
		return verdictCommand, "pool", nil
	case title != "" && len(q.words) <= len(strings.Fields(title))+1 && strings.Count(title, " ") < 2 && sp.titleWords(title):
		return verdictClarify, "", []string{"eligible " + title, "noc " + title}
	}
	_ = scoreAt
	return verdictDecline, "", nil
}

// asksOwnScore reports a question about working out one's own CRS score:
// "calculate my crs", "what's my score", "calculer mon score SCG".
func (q *question) asksOwnScore() bool {
	scoreWord := q.has("crs", "scg", "score", "points")
	if q.kw(calcWords) && (scoreWord || q.has("calculator", "calculateur", "calculatrice")) {
		return true
	}
	mine := q.has("my", "mon", "ma", "mes") || q.any("do i have", "i have", "j ai", "ai je")
	return mine && scoreWord && len(q.cats) == 0 && !q.kw(lastWords, drawOne, drawMany, nextWords, poolWords, chanceWords)
}

// howMany reports a question that counts: "how many", "combien", "total".
func (q *question) howMany() bool { return q.kw(howMany) || q.any("how many", "how much") }

// greetingOnly reports whether every word is a greeting or the bot's name.
func (q *question) greetingOnly() bool {
	greet := false
	for _, w := range q.words {
		switch {
		case greetWords[w]:
			greet = greet || w != "there" && w != "bot" && w != "eebot" && w != "good"
		case stopWords[w] || connectors[w]:
		default:
			return false
		}
	}
	return greet
}

func (q *question) asksAbout() bool {
	return q.any("who are you", "what is this bot", "what are you", "your data", "your source", "this bot", "ce bot", "tes donnees",
		"t es qui", "qui es tu", "vos donnees", "about you", "about this bot")
}

// score finds the number that reads as the person's CRS score: the one
// with a cue ("crs 470", "470 points", "my score is 470"), else a lone
// number from 100 to 1200 that is not a year or a count. cued says it had
// a cue, so a number over 1200 is a bad score, not another number.
func (q *question) score() (score, at int, cued bool) {
	for _, n := range q.nums {
		if n.large || n.val < 100 {
			continue // an invitation count, an age, a language level
		}
		if q.scoreCue(n.at) {
			return n.val, n.at, true
		}
		if score == 0 && n.val <= maxCRS {
			score, at = n.val, n.at
		}
	}
	for i, w := range q.words {
		if y, ok := yearOf(w); ok && q.scoreCue(i) {
			return y, i, true
		}
	}
	return score, at, false
}

// poolLine reads a question about the pool: how many are above a score,
// between two, where a score falls, or the distribution itself.
func (q *question) poolLine(score int) (string, bool) {
	pool := q.kw(poolWords) && !q.kw(invitedWords)
	people := q.kw(peopleWords) || q.howMany()
	lo, hi := q.between()
	switch {
	case lo > 0 && hi > 0 && (pool || people || q.has("between", "entre", "band", "range")):
		return fmt.Sprintf("pool between %d %d", lo, hi), true
	case score > 0 && q.plus():
		return fmt.Sprintf("pool above %d", score), true
	case score > 0 && (pool || people || q.has("me", "moi")) && q.kw(aboveWords):
		return fmt.Sprintf("pool above %d", score), true
	case score > 0 && q.kw(atWords) && (pool || q.has("rank", "situe", "classe", "stand", "distribution", "bassin", "pool")):
		return fmt.Sprintf("pool at %d", score), true
	case pool && score == 0 && !q.kw(lastWords, cutoffWords) || pool && q.has("distribution", "repartition", "bassin", "pool"):
		if score > 0 {
			return fmt.Sprintf("pool above %d", score), true
		}
		return "pool", true
	}
	return "", false
}

// plus reports a score written "600+" or "500 plus".
func (q *question) plus() bool {
	for _, n := range q.nums {
		if n.plus || q.word(n.at+1) == "plus" && !strings.HasPrefix(q.word(n.at+2), "que") {
			return true
		}
	}
	return false
}

// between reads "between 451 and 500", "entre 451 et 500", "from 401 to
// 450", "de 401 à 450" and "451-500".
func (q *question) between() (int, int) {
	if q.lo > 0 && q.hi > 0 {
		return min(q.lo, q.hi), max(q.lo, q.hi)
	}
	for k := 0; k+1 < len(q.nums); k++ {
		a, b := q.nums[k], q.nums[k+1]
		if b.at-a.at != 2 {
			continue
		}
		before, mid := q.word(a.at-1), q.word(a.at+1)
		if (before == "between" || before == "entre" || before == "from" || before == "de") && (mid == "and" || mid == "et" || mid == "to" || mid == "a") {
			return min(a.val, b.val), max(a.val, b.val)
		}
	}
	return 0, 0
}

// unusedMeaningful counts the words no slot used that are not filler.
func (q *question) unusedMeaningful() int {
	n := 0
	for i, w := range q.words {
		if !q.used[i] && !stopWords[w] && !connectors[w] && !startsWithDigit(w) && !greetWords[w] {
			n++
		}
	}
	return n
}
