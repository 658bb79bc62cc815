package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eebot/eebot/internal/crs"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// crsStore keeps the guided answers between messages, and the profiles
// people save. The SQLite store has it; a store without it gets the
// one-line form only.
type crsStore interface {
	CRSSession(ctx context.Context, platform domain.Platform, user string) (answers string, ok bool, err error)
	SaveCRSSession(ctx context.Context, platform domain.Platform, user, answers string, ttl time.Duration) error
	DeleteCRSSession(ctx context.Context, platform domain.Platform, user string) error
	SaveCRSProfile(ctx context.Context, platform domain.Platform, user, profile string, score int) error
	CRSProfile(ctx context.Context, platform domain.Platform, user string) (profile string, score int, ok bool, err error)
	ForgetCRS(ctx context.Context, platform domain.Platform, user string) (int, error)
}

// How long guided answers are kept: a day while someone answers (a restart
// or an evening away loses nothing), an hour once the score is shown (for
// Back and Save), then they are gone.
const (
	crsAnswering = 24 * time.Hour
	crsAnswered  = time.Hour
)

// crsAnswer is one answer: a question's key and the value chosen.
type crsAnswer struct {
	K string `json:"k"`
	V string `json:"v"`
}

// crsAnswers are someone's answers in the order given.
type crsAnswers []crsAnswer

func (a crsAnswers) get(k string) (string, bool) {
	for _, x := range a {
		if x.K == k {
			return x.V, true
		}
	}
	return "", false
}

func (a crsAnswers) val(k string) string { v, _ := a.get(k); return v }

// crsQuestion is one guided question. Its buttons' values are what the
// one-line form takes, or what a later question reads (a language's
// "how": a level, "abilities", a test).
type crsQuestion struct {
	key  string
	need func(a crsAnswers) bool // asked only when the rules need it, given the answers so far
	// options are the buttons, value and label; typed reads a typed answer
	// the buttons do not name (an age, a test score); it returns ok false
	// when text is no answer to this question, and a non-nil error when it
	// is one that cannot be used.
	options func(p i18n.Printer, a crsAnswers) []crsOption
	typed   func(text string, a crsAnswers) (string, bool, error)
	// ask is the question, worded for the answers so far.
	ask func(p i18n.Printer, a crsAnswers) string
}

type crsOption struct{ value, label string }

// Ability keys, in the order asked and written (L, R, W, S).
var crsAbilityKeys = []string{"l", "r", "w", "s"}

// crsQuestions are the guided questions in order.
func crsQuestions() []crsQuestion {
	always := func(crsAnswers) bool { return true }
	spouse := func(a crsAnswers) bool { return a.val("spouse") == "yes" }
	qs := []crsQuestion{
		{key: "spouse", typed: typedYesNo, need: always, options: yesNo, ask: simple("crs.q.spouse")},
		{key: "age", need: always, ask: simple("crs.q.age"),
			options: func(p i18n.Printer, _ crsAnswers) []crsOption {
				out := []crsOption{{"17", "≤17"}, {"18", "18"}, {"19", "19"}, {"29", "20–29"}}
				for age := 30; age <= 44; age++ {
					out = append(out, crsOption{strconv.Itoa(age), strconv.Itoa(age)})
				}
				return append(out, crsOption{"45", "45+"})
			},
			typed: wholeNumber(15, 99)},
		{key: "education", need: always, options: educations, ask: simple("crs.q.education")},
	}
	qs = append(qs, crsLanguage("english", crs.English, always)...)
	qs = append(qs, crsLanguage("french", crs.French, always)...)
	qs = append(qs,
		crsQuestion{key: "canada", need: always, options: yearsUpTo(5), typed: wholeNumber(0, 60), ask: simple("crs.q.canada")},
		crsQuestion{key: "foreign", need: crsMatters("foreign", "0", "1", "3"), options: yearsUpTo(3), typed: wholeNumber(0, 60), ask: simple("crs.q.foreign")},
		crsQuestion{key: "certificate", typed: typedYesNo, need: crsMatters("certificate", "no", "yes"), options: yesNo, ask: simple("crs.q.certificate")},
		crsQuestion{key: "study", need: always, ask: simple("crs.q.study"),
			options: func(p i18n.Printer, _ crsAnswers) []crsOption {
				return []crsOption{{"none", p.T("crs.o.none")}, {"1-2", p.T("crs.o.study.short")}, {"3+", p.T("crs.o.study.long")}}
			}},
		crsQuestion{key: "sibling", typed: typedYesNo, need: always, options: yesNo, ask: simple("crs.q.sibling")},
		crsQuestion{key: "pnp", typed: typedYesNo, need: always, options: yesNo, ask: simple("crs.q.pnp")},
		crsQuestion{key: "spouse_education", need: spouse, options: educations, ask: simple("crs.q.spouse_education")},
	)
	qs = append(qs, crsLanguage("spouse_language", "", spouse)...)
	return append(qs, crsQuestion{key: "spouse_canada", need: spouse, options: yearsUpTo(5), typed: wholeNumber(0, 60), ask: simple("crs.q.spouse_canada")})
}

// crsLanguage is a language's questions: its level in all four abilities,
// or how it is given (per ability, a test); then, for those, one question
// per ability, whose buttons are the CLB levels or the test's score bands
// from IRCC's chart.
func crsLanguage(key string, lang crs.Lang, need func(crsAnswers) bool) []crsQuestion {
	how := key + "_how"
	tests := func() []*crs.TestTable {
		var out []*crs.TestTable
		for _, t := range crsRules().Tests() {
			if lang == "" || t.Language == lang {
				out = append(out, t)
			}
		}
		return out
	}
	first := crsQuestion{key: how, need: need, ask: func(p i18n.Printer, a crsAnswers) string { return p.T("crs.q." + key) },
		options: func(p i18n.Printer, a crsAnswers) []crsOption {
			out := []crsOption{{"none", p.T("crs.o.no_test")}}
			out = append(out, levels(lang == "")...)
			out = append(out, crsOption{"abilities", p.T("crs.o.per_ability")})
			for _, t := range tests() {
				out = append(out, crsOption{t.Test, t.Name})
			}
			return out
		},
		typed: func(text string, a crsAnswers) (string, bool, error) {
			if n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(text), "clb"), "nclc")); err == nil {
				if n < 0 || n > crs.MaxLevel {
					return "", true, errAllowed("0–12")
				}
				return strconv.Itoa(n), true, nil
			}
			return "", false, nil
		}}
	out := []crsQuestion{first}
	for i, ab := range crsAbilityKeys {
		ability := crs.Abilities[i]
		out = append(out, crsQuestion{key: key + "_" + ab,
			need: func(a crsAnswers) bool {
				h := a.val(how)
				return need(a) && (h == "abilities" || crsTest(h) != nil)
			},
			ask: func(p i18n.Printer, a crsAnswers) string {
				name := p.T("crs.ability." + ab)
				if t := crsTest(a.val(how)); t != nil {
					return p.T("crs.q.ability.test", "Who", p.T("crs.who."+key), "Ability", name, "Test", t.Name)
				}
				return p.T("crs.q.ability", "Who", p.T("crs.who."+key), "Ability", name)
			},
			options: func(p i18n.Printer, a crsAnswers) []crsOption {
				if t := crsTest(a.val(how)); t != nil {
					return bands(p, t, ability)
				}
				return levels(false)
			},
			typed: func(text string, a crsAnswers) (string, bool, error) {
				f, err := strconv.ParseFloat(strings.ReplaceAll(text, ",", "."), 64)
				if err != nil {
					return "", false, nil
				}
				t := crsTest(a.val(how))
				if t == nil {
					if n := int(f); float64(n) == f && n >= 0 && n <= crs.MaxLevel {
						return strconv.Itoa(n), true, nil
					}
					return "", true, errAllowed("0–12")
				}
				level, err := t.Level(ability, f)
				if err != nil {
					return "", true, errAllowed(fmt.Sprintf("0–%s", score(t.Max[ability])))
				}
				return strconv.Itoa(level), true, nil
			}})
	}
	return out
}

// crsTest is the chart of a test named by a "how" answer, nil for a level
// or per-ability levels.
func crsTest(name string) *crs.TestTable {
	for _, t := range crsRules().Tests() {
		if t.Test == name {
			return t
		}
	}
	return nil
}

// bands are a test's score bands for one ability, lowest first, each
// giving its level: "below 4.5", "4.5", "5", …, "8.5–9".
func bands(p i18n.Printer, t *crs.TestTable, a crs.Ability) []crsOption {
	bs := t.Bands[a]
	lowest := bs[len(bs)-1]
	out := []crsOption{{strconv.Itoa(max(lowest.Level-1, 0)), p.T("crs.o.below", "Score", score(lowest.Min))}}
	for i := len(bs) - 1; i >= 0; i-- {
		b := bs[i]
		label := score(b.Min)
		if b.Top > b.Min {
			label += "–" + score(b.Top)
		}
		out = append(out, crsOption{strconv.Itoa(b.Level), label})
	}
	return out
}

func score(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// levels are CLB/NCLC buttons: ≤3 to 10+, or for a spouse the bands of
// the spouse table (≤4, 5–6, 7–8, 9+).
func levels(spouse bool) []crsOption {
	if spouse {
		return []crsOption{{"4", "≤4"}, {"5", "5–6"}, {"7", "7–8"}, {"9", "9+"}}
	}
	out := []crsOption{{"3", "≤3"}}
	for l := 4; l <= 9; l++ {
		out = append(out, crsOption{strconv.Itoa(l), strconv.Itoa(l)})
	}
	return append(out, crsOption{"10", "10+"})
}

// typedYesNo reads yes or no in either language.
func typedYesNo(text string, _ crsAnswers) (string, bool, error) {
	switch strings.ToLower(text) {
	case "yes", "y", "oui", "o", "true":
		return "yes", true, nil
	case "no", "n", "non", "false":
		return "no", true, nil
	}
	return "", false, nil
}

func yesNo(p i18n.Printer, _ crsAnswers) []crsOption {
	return []crsOption{{"yes", p.T("crs.o.yes")}, {"no", p.T("crs.o.no")}}
}

func educations(p i18n.Printer, _ crsAnswers) []crsOption {
	var out []crsOption
	for _, e := range crs.Educations {
		out = append(out, crsOption{string(e), p.T("crs.o.edu." + string(e))})
	}
	return out
}

func yearsUpTo(n int) func(p i18n.Printer, _ crsAnswers) []crsOption {
	return func(p i18n.Printer, _ crsAnswers) []crsOption {
		out := []crsOption{{"0", p.T("crs.o.less_than_one")}}
		for y := 1; y < n; y++ {
			out = append(out, crsOption{strconv.Itoa(y), strconv.Itoa(y)})
		}
		return append(out, crsOption{strconv.Itoa(n), strconv.Itoa(n) + "+"})
	}
}

func simple(id string) func(p i18n.Printer, _ crsAnswers) string {
	return func(p i18n.Printer, _ crsAnswers) string { return p.T(id) }
}

// wholeNumber reads a typed whole number from lo to hi.
func wholeNumber(lo, hi int) func(string, crsAnswers) (string, bool, error) {
	return func(text string, _ crsAnswers) (string, bool, error) {
		n, err := strconv.Atoi(strings.TrimSuffix(text, "+"))
		if err != nil {
			return "", false, nil
		}
		if n < lo || n > hi {
			return "", true, errAllowed(fmt.Sprintf("%d–%d", lo, hi))
		}
		return strconv.Itoa(n), true, nil
	}
}

// errAllowed is a typed answer out of range; its text is what is allowed.
type errAllowed string

func (e errAllowed) Error() string { return string(e) }

// crsMatters asks a question only when one of its values would change the
// score, given the answers so far: foreign work counts only through skill
// transferability, a certificate only with CLB 5 or more.
func crsMatters(key string, values ...string) func(a crsAnswers) bool {
	return func(a crsAnswers) bool {
		rules := crsRules().Latest()
		total := -1
		for _, v := range values {
			b := append(slices.Clone(a), crsAnswer{key, v})
			l, err := crsRules().ParseLine(crsLine(b), "")
			if err != nil {
				return true
			}
			t := rules.Score(l.Profile).Total
			if total >= 0 && t != total {
				return true
			}
			total = t
		}
		return false
	}
}

// crsLine writes answers as the one-line form.
func crsLine(a crsAnswers) string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+v) }
	for _, k := range []string{"age", "education"} {
		if v, ok := a.get(k); ok {
			add(k, v)
		}
	}
	for _, k := range []string{"english", "french"} {
		if v := crsLanguageValue(a, k); v != "" {
			add(k, v)
		}
	}
	for _, k := range []string{"canada", "foreign", "certificate", "study", "sibling", "pnp", "spouse", "spouse_education"} {
		if v, ok := a.get(k); ok {
			add(k, v)
		}
	}
	if v := crsLanguageValue(a, "spouse_language"); v != "" {
		add("spouse_language", v)
	}
	if v, ok := a.get("spouse_canada"); ok {
		add("spouse_canada", v)
	}
	return strings.Join(parts, " ")
}

// crsLanguageValue is a language's value in the one-line form: a level,
// per-ability levels, or "" for none (or not all four given yet).
func crsLanguageValue(a crsAnswers, key string) string {
	how, ok := a.get(key + "_how")
	if !ok || how == "none" {
		return ""
	}
	if _, err := strconv.Atoi(how); err == nil {
		return how
	}
	var ls []string
	for _, ab := range crsAbilityKeys {
		v, ok := a.get(key + "_" + ab)
		if !ok {
			return ""
		}
		ls = append(ls, strings.ToUpper(ab)+v)
	}
	return strings.Join(ls, ",")
}

// crsPending is the next question the answers need, or nil when done.
func crsPending(a crsAnswers) *crsQuestion {
	for _, q := range crsQuestions() {
		if _, done := a.get(q.key); !done && q.need(a) {
			return &q
		}
	}
	return nil
}

// crsCount is how many questions the answers so far lead to, in all.
func crsCount(a crsAnswers) int {
	n := 0
	for _, q := range crsQuestions() {
		if _, done := a.get(q.key); done || q.need(a) {
			n++
		}
	}
	return n
}

// crsWho is whose answers a caller's are: the person on a platform; the
// chat when the platform names no one; the console.
func crsWho(c Caller) (domain.Platform, string) {
	switch {
	case c.UserID != "":
		return c.Platform, c.UserID
	case c.Destination != "":
		return c.Platform, "chat:" + c.Destination
	}
	return c.Platform, "console"
}

// crsGuided answers the guided questions: "" starts (or resumes) them,
// "set <key> <value>" answers one (the buttons send it), "back" undoes the
// last answer, "restart" starts over, "save" keeps the finished profile.
// ok is false when text is a one-line profile for crs to score.
func (e *Engine) crsGuided(ctx context.Context, r Request, text string) (reply.Reply, bool, error) {
	verb, rest, _ := strings.Cut(text, " ")
	verb = strings.ToLower(verb)
	if text != "" && !slices.Contains([]string{"set", "back", "restart", "save", "forget"}, verb) {
		return reply.Reply{}, false, nil
	}
	st, ok := e.store.(crsStore)
	if !ok {
		return reply.Reply{Status: reply.StatusHelp, Private: true, Title: r.p.T("crs.start.title"), Summary: r.p.T("usage.crs")}, true, nil
	}
	platform, user := crsWho(r.Caller)
	if verb == "forget" {
		rep, err := e.crsForget(ctx, r.p, st, platform, user)
		return rep, true, err
	}
	a, err := e.crsLoad(ctx, st, platform, user)
	if err != nil {
		return reply.Reply{}, true, err
	}
	switch verb {
	case "restart":
		a = nil
	case "back":
		if len(a) > 0 {
			a = a[:len(a)-1]
		}
	case "save":
		if strings.Contains(rest, "=") { // crs save age=29 …: a one-line profile
			rep, err := e.crsSaveLine(ctx, r.p, st, platform, user, strings.TrimSpace(rest))
			return rep, true, err
		}
		if len(a) == 0 || crsPending(a) != nil {
			return reply.Reply{}, true, invalid(r.p.T("crs.err.nothing_to_save"), r.p.T("crs.err.nothing_to_save.hint"))
		}
		rep, err := e.crsSaveLine(ctx, r.p, st, platform, user, crsLine(a))
		return rep, true, err
	case "set":
		key, value, _ := strings.Cut(strings.TrimSpace(rest), " ")
		q := crsPending(a)
		if q == nil || q.key != key {
			// A button of a question already answered (an old message,
			// or one pressed twice): say so; nothing changes.
			return reply.Reply{}, true, invalid(r.p.T("crs.err.stale"), r.p.T("crs.err.stale.hint"))
		}
		if a, err = crsAccept(r.p, q, a, value); err != nil {
			return reply.Reply{}, true, err
		}
	}
	rep, err := e.crsNext(ctx, r.p, st, platform, user, a)
	return rep, true, err
}

// crsAccept records value as q's answer: one of its buttons' values, or
// a value its typed reader takes (an age of 23 where a button says 20–29).
func crsAccept(p i18n.Printer, q *crsQuestion, a crsAnswers, value string) (crsAnswers, error) {
	ok := slices.ContainsFunc(q.options(p, a), func(o crsOption) bool { return o.value == value })
	if !ok && q.typed != nil {
		v, isAnswer, err := q.typed(value, a)
		ok = isAnswer && err == nil
		value = v
	}
	if !ok {
		return a, invalid(p.T("crs.err.stale"), p.T("crs.err.stale.hint"))
	}
	if q.key == "french_how" && value == "none" && a.val("english_how") == "none" {
		return a, invalid(p.T("crs.err.no_language"), p.T("crs.err.no_language.hint"))
	}
	return append(slices.Clone(a), crsAnswer{q.key, value}), nil
}

// crsLoad reads someone's answers (none when they expired).
func (e *Engine) crsLoad(ctx context.Context, st crsStore, platform domain.Platform, user string) (crsAnswers, error) {
	raw, ok, err := st.CRSSession(ctx, platform, user)
	if err != nil || !ok {
		return nil, err
	}
	var a crsAnswers
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		e.log.Warn("crs: unreadable answers; starting over", "err", err)
		return nil, nil
	}
	return a, nil
}

// crsNext keeps the answers and asks the next question, or shows the
// score once none is left.
func (e *Engine) crsNext(ctx context.Context, p i18n.Printer, st crsStore, platform domain.Platform, user string, a crsAnswers) (reply.Reply, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return reply.Reply{}, err
	}
	q := crsPending(a)
	ttl := crsAnswering
	if q == nil {
		ttl = crsAnswered
	}
	if err := st.SaveCRSSession(ctx, platform, user, string(raw), ttl); err != nil {
		return reply.Reply{}, err
	}
	if q == nil {
		return e.crsFinish(ctx, p, a)
	}
	rep := reply.Reply{
		Title:   q.ask(p, a),
		Summary: p.T("crs.step", "N", len(a)+1, "Of", crsCount(a)),
		Private: true,
	}
	if len(a) == 0 {
		rep.Summary += "\n" + p.T("crs.kept")
	}
	for _, o := range q.options(p, a) {
		rep.Actions = append(rep.Actions, reply.Action{Label: o.label, Command: "crs", Args: "set " + q.key + " " + o.value})
		rep.Choices = append(rep.Choices, o.label)
	}
	if len(a) > 0 {
		rep.Actions = append(rep.Actions, reply.Action{Label: p.T("crs.o.back"), Command: "crs", Args: "back"})
		rep.Choices = append(rep.Choices, p.T("crs.o.back"))
	}
	return rep, nil
}

// crsFinish scores the finished answers, with Back, Start over and Save.
func (e *Engine) crsFinish(ctx context.Context, p i18n.Printer, a crsAnswers) (reply.Reply, error) {
	today := e.now().UTC().Format(time.DateOnly)
	line, err := crsRules().ParseLine(crsLine(a), today)
	if err != nil {
		return reply.Reply{}, crsLineError(p, err)
	}
	rep, err := e.crsAnswer(ctx, p, line, today)
	if err != nil {
		return rep, err
	}
	rep.Actions = []reply.Action{
		{Label: p.T("crs.o.save"), Command: "crs", Args: "save"},
		{Label: p.T("crs.o.back"), Command: "crs", Args: "back"},
		{Label: p.T("crs.o.restart"), Command: "crs", Args: "restart"},
	}
	return rep, nil
}

// crsTyped reads a line typed while a guided question waits: an answer
// to it ("29", "bachelor", "yes", "7.5"), or back. ok is false when the
// line is no answer, so it is read as any other question.
func (e *Engine) crsTyped(ctx context.Context, text string, c Caller) (reply.Reply, bool) {
	text = strings.TrimSpace(strings.TrimSuffix(oneLine(text), "."))
	if text == "" || len(text) > 40 || len(strings.Fields(text)) > 4 || strings.HasPrefix(text, "/") {
		return reply.Reply{}, false
	}
	st, ok := e.store.(crsStore)
	if !ok || !crsMaybeAnswer(text) {
		return reply.Reply{}, false
	}
	platform, user := crsWho(c)
	raw, found, err := st.CRSSession(ctx, platform, user)
	if err != nil || !found {
		return reply.Reply{}, false
	}
	var a crsAnswers
	if json.Unmarshal([]byte(raw), &a) != nil {
		return reply.Reply{}, false
	}
	q := crsPending(a)
	lower := strings.ToLower(text)
	switch {
	case lower == "back" || lower == "retour":
		return e.Command(ctx, "crs", "back", 0, c), true
	case q == nil:
		return reply.Reply{}, false
	}
	p := e.printer(ctx, c)
	for _, o := range q.options(p, a) {
		if strings.EqualFold(o.value, text) || strings.EqualFold(o.label, text) {
			return e.Command(ctx, "crs", "set "+q.key+" "+o.value, 0, c), true
		}
	}
	if q.typed == nil {
		return reply.Reply{}, false
	}
	v, isAnswer, err := q.typed(text, a)
	if !isAnswer {
		return reply.Reply{}, false
	}
	if err != nil {
		rep := errorReply(p, invalid(p.T("crs.err.typed", "Value", clip(text, 20), "Allowed", err.Error())))
		return e.finish(p, e.specs["crs"], rep), true
	}
	return e.Command(ctx, "crs", "set "+q.key+" "+v, 0, c), true
}

// crsAnswerWords are the words an answer may be, so only such lines cost
// a look-up of the asker's answers: every button's value and label in
// both languages, yes and no, back.
var crsAnswerWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"yes": true, "no": true, "y": true, "n": true, "o": true, "oui": true, "non": true, "back": true, "retour": true}
	words, err := i18n.Load()
	if err != nil {
		panic(err) // the catalogs are part of the binary and tested
	}
	for _, l := range []i18n.Lang{i18n.EN, i18n.FR} {
		p := words.Printer(l)
		for _, q := range crsQuestions() {
			for _, how := range []string{"", "abilities"} {
				a := crsAnswers{{"english_how", how}, {"french_how", how}, {"spouse_language_how", how}, {"spouse", "yes"}}
				for _, o := range q.options(p, a) {
					m[strings.ToLower(o.value)], m[strings.ToLower(o.label)] = true, true
				}
			}
		}
	}
	return m
})

// crsMaybeAnswer reports whether text could answer a guided question: a
// button's value or a number ("29", "7.5", "5+", "8 7 7 6.5").
func crsMaybeAnswer(text string) bool {
	t := strings.ToLower(text)
	if crsAnswerWords()[t] {
		return true
	}
	return strings.Trim(t, "0123456789.,+ ") == ""
}

// crsSaveLine keeps a profile (its one-line form and score) until it is
// forgotten.
func (e *Engine) crsSaveLine(ctx context.Context, p i18n.Printer, st crsStore, platform domain.Platform, user, line string) (reply.Reply, error) {
	today := e.now().UTC().Format(time.DateOnly)
	l, err := crsRules().ParseLine(line, today)
	if err != nil {
		return reply.Reply{}, crsLineError(p, err)
	}
	rules, ok := crsRules().At(today)
	if !ok {
		return reply.Reply{}, invalid(p.T("crs.err.no_rules"))
	}
	total := rules.Score(l.Profile).Total
	if err := st.SaveCRSProfile(ctx, platform, user, line, total); err != nil {
		return reply.Reply{}, err
	}
	return reply.Reply{Title: p.T("crs.saved.title", "Total", p.Num(total)), Summary: p.T("crs.saved.body"), Private: true,
		Lines: []string{"crs " + line}}, nil
}

// crsForget deletes what crs keeps about someone.
func (e *Engine) crsForget(ctx context.Context, p i18n.Printer, st crsStore, platform domain.Platform, user string) (reply.Reply, error) {
	if _, err := st.ForgetCRS(ctx, platform, user); err != nil {
		return reply.Reply{}, err
	}
	return reply.Reply{Title: p.T("crs.forgotten.title"), Summary: p.T("crs.forgotten.body"), Private: true}, nil
}
