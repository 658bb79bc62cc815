package commands

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// guide drives the guided questions as a person would: pressing buttons
// by label, or typing.
type guide struct {
	t   *testing.T
	e   *Engine
	c   Caller
	rep reply.Reply
	// asked are the question keys, in the order asked.
	asked []string
}

func (g *guide) start() {
	g.rep = g.e.Command(context.Background(), "crs", "", 0, g.c)
	g.note()
}

// press presses the button whose label is label.
func (g *guide) press(label string) {
	g.t.Helper()
	for _, a := range g.rep.Actions {
		if a.Label == label {
			g.rep = g.e.Command(context.Background(), a.Command, a.Args, 0, g.c)
			g.note()
			return
		}
	}
	var labels []string
	for _, a := range g.rep.Actions {
		labels = append(labels, a.Label)
	}
	g.t.Fatalf("no button %q under %q: %v", label, g.rep.Title, labels)
}

// typeIn types text as a message.
func (g *guide) typeIn(text string) {
	g.rep = g.e.Ask(context.Background(), text, g.c)
	g.note()
}

func (g *guide) note() {
	for _, a := range g.rep.Actions {
		if k, ok := strings.CutPrefix(a.Args, "set "); ok {
			key, _, _ := strings.Cut(k, " ")
			g.asked = append(g.asked, key)
			return
		}
	}
}

func newGuide(t *testing.T, e *Engine, user string) *guide {
	return &guide{t: t, e: e, c: Caller{Platform: domain.Telegram, UserID: user, Destination: user, Private: true}}
}

// A single person is never asked about a spouse, nor for French scores
// when they have no French test; the answers give the score the one-line
// form gives.
func TestCRSGuidedSingle(t *testing.T) {
	e := New(storetest.Store(t), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	g := newGuide(t, e, "1")
	g.start()
	if g.rep.Status != reply.StatusOK || len(g.rep.Actions) != 2 || !g.rep.Private {
		t.Fatalf("first question: %+v", g.rep)
	}
	g.press("No")
	g.typeIn("29")
	g.press("Bachelor's / 3-year")
	g.press("9")
	g.press("No test")
	g.press("2")
	g.press("3+")
	g.press("1–2 years")
	g.press("Yes")
	g.press("No")
	if !strings.HasPrefix(g.rep.Title, "CRS ") {
		t.Fatalf("after the last answer: %q %q", g.rep.Title, g.rep.Summary)
	}
	for _, k := range g.asked {
		if strings.HasPrefix(k, "spouse_") || strings.HasPrefix(k, "french_") && k != "french_how" {
			t.Errorf("asked %s", k)
		}
	}
	if slices.Contains(g.asked, "certificate") {
		t.Error("asked about a certificate that could add nothing (transferability already at 100)")
	}
	want := e.Command(context.Background(), "crs", "age=29 education=bachelor english=9 canada=2 foreign=3 study=1-2 sibling=yes pnp=no", 0, g.c)
	if g.rep.Title != want.Title || !slices.Equal(fieldValues(g.rep), fieldValues(want)) {
		t.Errorf("guided %q %v, one line %q %v", g.rep.Title, fieldValues(g.rep), want.Title, fieldValues(want))
	}
	if got := len(g.rep.Actions); got != 3 {
		t.Errorf("%d buttons under the score, want Save, Back, Start over", got)
	}
}

func fieldValues(r reply.Reply) []string {
	var out []string
	for _, f := range r.Fields {
		out = append(out, f.Name+": "+f.Value)
	}
	return out
}

// With a spouse, per-ability levels and test bands from IRCC's charts;
// back undoes one answer at a time; a stale button changes nothing.
func TestCRSGuidedSpouseAndTests(t *testing.T) {
	e := New(storetest.Store(t), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	g := newGuide(t, e, "2")
	g.start()
	g.press("Yes")
	g.press("30")
	g.press("Master's / professional")
	g.press("IELTS General Training")
	if !strings.Contains(g.rep.Title, "IELTS") || !strings.Contains(g.rep.Title, "listening") {
		t.Fatalf("IELTS listening question: %q", g.rep.Title)
	}
	stale := g.rep.Actions[0]
	g.press("8.5–9")   // CLB 10
	g.press("7–7.5")   // reading → CLB 9
	g.press("below 4") // writing → CLB 3
	g.typeIn("6.5")    // speaking 6.5 → CLB 8
	g.press("TEF Canada")
	g.press("434–461") // NCLC 7
	g.press("◀ Back")
	g.press("◀ Back")
	if !strings.Contains(g.rep.Title, "French") {
		t.Fatalf("two steps back: %q", g.rep.Title)
	}
	g.press("Per ability")
	for range 4 {
		g.press("7")
	}
	// A button of an answered question does nothing.
	r := e.Command(context.Background(), stale.Command, stale.Args, 0, g.c)
	if r.Status != reply.StatusInvalid {
		t.Errorf("stale button: %v %q", r.Status, r.Title)
	}
	g.press("<1")
	g.press("1")
	g.press("Yes") // certificate: counts with CLB 5 or more
	g.press("None")
	g.press("No")
	g.press("No")
	g.press("Secondary")
	g.press("Per ability")
	g.press("9")
	g.press("7")
	g.press("5")
	g.press("≤3")
	g.press("2")
	// IELTS L8.5 → 10, R7 → 9, W below 4 → 3, S6.5 → 8; French 7 in all
	// four; with a spouse.
	want := e.Command(context.Background(), "crs",
		"age=30 education=master english=L10,R9,W3,S8 french=7 canada=0 foreign=1 certificate=yes study=none sibling=no pnp=no spouse=yes spouse_education=secondary spouse_language=L9,R7,W5,S3 spouse_canada=2", 0, g.c)
	if g.rep.Title != want.Title || !slices.Equal(fieldValues(g.rep), fieldValues(want)) {
		t.Errorf("guided %q %v\none line %q %v", g.rep.Title, fieldValues(g.rep), want.Title, fieldValues(want))
	}
}

// Answers survive a restart (a new engine on the same database) and
// expire; save keeps the profile, forget deletes everything.
func TestCRSGuidedRestartExpiryAndSave(t *testing.T) {
	ctx := context.Background()
	now := storetest.Now()
	clock := func() time.Time { return now }
	path := filepath.Join(t.TempDir(), "crs.db")
	open := func() (*store.DB, *Engine) {
		db, err := store.Open(ctx, path, nil, store.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		return db, New(db, WithClock(clock), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	}
	db, e := open()
	g := newGuide(t, e, "3")
	g.start()
	g.press("No")
	g.press("31")
	db.Close()

	db, e = open()
	defer func() { db.Close() }()
	g.e = e
	g.start()
	if !strings.Contains(g.rep.Title, "education") || !strings.HasPrefix(g.rep.Summary, "Question 3 ") {
		t.Fatalf("after a restart: %q %q", g.rep.Title, g.rep.Summary)
	}
	g.press("PhD")
	g.press("10+")
	g.press("No test")
	g.press("5+")
	g.press("3+")
	g.press("3+ years")
	g.press("No")
	g.press("No")
	if !strings.HasPrefix(g.rep.Title, "CRS ") {
		t.Fatalf("%q", g.rep.Title)
	}
	g.press("Save")
	if !strings.HasPrefix(g.rep.Title, "Saved: CRS ") {
		t.Fatalf("save: %q %q", g.rep.Title, g.rep.Summary)
	}
	prof, total, ok, err := db.CRSProfile(ctx, domain.Telegram, "3")
	if err != nil || !ok || total <= 0 || !strings.Contains(prof, "education=phd") {
		t.Errorf("kept %q %d %v %v", prof, total, ok, err)
	}
	// Finished answers go after an hour; unfinished ones after a day.
	now = now.Add(61 * time.Minute)
	g.start()
	if !strings.Contains(g.rep.Title, "spouse") {
		t.Errorf("after an hour: %q", g.rep.Title)
	}
	g.press("Yes")
	now = now.Add(25 * time.Hour)
	g.start()
	if !strings.HasPrefix(g.rep.Summary, "Question 1 ") {
		t.Errorf("after a day: %q", g.rep.Summary)
	}
	g.rep = e.Command(ctx, "crs", "forget", 0, g.c)
	if _, _, ok, _ := db.CRSProfile(ctx, domain.Telegram, "3"); ok || g.rep.Title != "Forgotten" {
		t.Errorf("forget: %q, profile kept %v", g.rep.Title, ok)
	}
}

// Typed lines reach the guided questions only when they answer the one
// waiting; anything else is read as a question.
func TestCRSTypedAnswers(t *testing.T) {
	e := New(storetest.Store(t), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	g := newGuide(t, e, "4")
	g.start()
	g.typeIn("non") // French for no
	g.typeIn("200")
	if g.rep.Status != reply.StatusInvalid || !strings.Contains(g.rep.Title, "15–99") {
		t.Errorf("age 200: %v %q", g.rep.Status, g.rep.Title)
	}
	g.typeIn("last healthcare cutoff")
	if !strings.Contains(g.rep.Title, "CRS 475") {
		t.Errorf("a question while answering: %q", g.rep.Title)
	}
	g.typeIn("23")
	if !strings.Contains(g.rep.Title, "education") {
		t.Errorf("age 23: %q", g.rep.Title)
	}
	g.typeIn("back")
	if !strings.Contains(g.rep.Title, "old") {
		t.Errorf("back: %q", g.rep.Title)
	}
	// Someone else typing 29 has no questions waiting.
	other := newGuide(t, e, "5")
	other.typeIn("29")
	if strings.Contains(other.rep.Title, "education") {
		t.Errorf("another person's 29 answered %q", other.rep.Title)
	}
}

// Every answer a button gives is one the one-line form takes: the buttons
// and the form cannot drift apart.
func TestCRSButtonsMakeValidLines(t *testing.T) {
	set := crsRules()
	for _, q := range crsQuestions() {
		for _, how := range []string{"abilities", "ielts", "tef", "celpip", "pte", "tcf"} {
			a := crsAnswers{{"spouse", "yes"}, {"age", "30"}, {"education", "bachelor"}, {"english_how", "9"}}
			for _, k := range []string{"english_how", "french_how", "spouse_language_how"} {
				if k != q.key {
					a = append(a, crsAnswer{k, how})
				}
			}
			if !q.need(a) && q.key != "english_how" {
				continue
			}
			for _, o := range q.options(New(storetest.Store(t)).words.Printer("en"), a) {
				b := append(slices.Clone(a), crsAnswer{q.key, o.value})
				for _, l := range crsAbilityKeys {
					for _, lang := range []string{"english", "french", "spouse_language"} {
						if _, ok := b.get(lang + "_" + l); !ok {
							b = append(b, crsAnswer{lang + "_" + l, "7"})
						}
					}
				}
				if _, err := set.ParseLine(crsLine(b), ""); err != nil {
					t.Errorf("%s=%s (%s): %q: %v", q.key, o.value, how, crsLine(b), err)
				}
			}
		}
	}
}

// crs save with a one-line profile keeps it; nothing is kept otherwise.
func TestCRSSaveLine(t *testing.T) {
	db := storetest.Store(t)
	e := New(db, WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	c := Caller{Platform: domain.Discord, UserID: "77"}
	ctx := context.Background()
	e.Command(ctx, "crs", "age=29 education=master english=9", 0, c)
	if _, _, ok, _ := db.CRSProfile(ctx, domain.Discord, "77"); ok {
		t.Error("a profile kept without save")
	}
	if r := e.Command(ctx, "crs", "save", 0, c); r.Status != reply.StatusInvalid {
		t.Errorf("save with nothing answered: %v %q", r.Status, r.Title)
	}
	r := e.Command(ctx, "crs", "save age=29 education=master english=9", 0, c)
	if r.Title != "Saved: CRS 419" {
		t.Errorf("save: %q", r.Title)
	}
	if p, s, ok, _ := db.CRSProfile(ctx, domain.Discord, "77"); !ok || s != 419 || p != "age=29 education=master english=9" {
		t.Errorf("kept %q %d %v", p, s, ok)
	}
}

// match without a score uses the one the person saved with crs save, and
// says so; without a saved one it asks for a score and says how to save.
func TestMatchUsesSavedScore(t *testing.T) {
	db := storetest.Store(t)
	e := New(db, WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	ctx := context.Background()
	saver := Caller{Platform: domain.Telegram, UserID: "77"}
	if r := e.Command(ctx, "crs", "save age=29 education=master english=9", 0, saver); r.Title != "Saved: CRS 419" {
		t.Fatalf("save: %q", r.Title)
	}
	for _, line := range []string{"match", "match healthcare"} {
		r := e.Ask(ctx, line, saver)
		want := e.Ask(ctx, strings.Replace(line, "match", "match 419", 1), saver)
		if r.Status != reply.StatusOK || r.Title != want.Title || !strings.Contains(strings.Join(r.Lines, "\n"), "Your saved CRS estimate: 419") {
			t.Errorf("%q: %v %q %q; want the title of match 419: %q", line, r.Status, r.Title, r.Lines, want.Title)
		}
	}
	// Another person, or the same ID on another platform, saved nothing.
	for _, c := range []Caller{{Platform: domain.Telegram, UserID: "78"}, {Platform: domain.Discord, UserID: "77"}, {}} {
		r := e.Command(ctx, "match", "", 0, c)
		if r.Status != reply.StatusInvalid || !strings.Contains(r.Title+r.Summary+strings.Join(r.Lines, " "), "Give your CRS score") {
			t.Errorf("%+v: %v %q %q", c, r.Status, r.Title, r.Lines)
		}
	}
	fr := Caller{Platform: domain.Telegram, UserID: "77", Locale: "fr"}
	if r := e.Command(ctx, "match", "", 0, fr); !strings.Contains(strings.Join(r.Lines, "\n"), "Votre estimation SCG enregistrée\u00a0: 419") {
		t.Errorf("French: %q", r.Lines)
	}
}

// BenchmarkCRSLine answers the full one-line profile: parse,
// score, the two best changes, and match's comparison with recent draws.
func BenchmarkCRSLine(b *testing.B) {
	e := New(storetest.Store(b), WithClock(storetest.Now), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	ctx := context.Background()
	line := "age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1"
	b.ReportAllocs()
	for b.Loop() {
		if r := e.Command(ctx, "crs", line, 0, Caller{}); r.Title != "CRS 577" {
			b.Fatal(r.Title)
		}
	}
}
