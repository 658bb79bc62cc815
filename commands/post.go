package commands

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/template"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

//go:embed templates/post.tmpl
var templates embed.FS

// PostData is what the post template sees; text is already written in
// Lang.
type PostData struct {
	Lang        string // "en", "fr"
	Kind        domain.PostKind
	Number      string
	Date        string
	Label       string // the category's short name
	Name        string // IRCC's round name
	CRS         int
	Invitations string // with the language's thousands separator
	Change      string // vs the previous draw of the category; "" for the first
	Changes     string // a correction's changes: "CRS 469 → 471"
	TieBreak    string
	URL         string
	Moderator   bool // entered by a moderator, not yet in the feed
}

// LoadPostTemplate reads the post wording: the embedded default, or the
// operator's file at path (so wording changes need no rebuild). Its first
// line is the post's headline.
func LoadPostTemplate(path string) (*template.Template, error) {
	var body []byte
	var err error
	if path == "" {
		body, err = templates.ReadFile("templates/post.tmpl")
	} else {
		body, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("post template: %w", err)
	}
	t, err := template.New("post").Option("missingkey=error").Parse(string(body))
	if err != nil {
		return nil, fmt.Errorf("post template %s: %w", path, err)
	}
	// Render samples so a template that fails at run time fails at start.
	for _, lang := range []string{"en", "fr"} {
		for _, kind := range []domain.PostKind{domain.PostNew, domain.PostCorrection, domain.PostAnnounce} {
			if err := t.Execute(&bytes.Buffer{}, PostData{Lang: lang, Kind: kind, Number: "1", Label: "x", Invitations: "1"}); err != nil {
				return nil, fmt.Errorf("post template %s: %w", path, err)
			}
		}
	}
	return t, nil
}

// WithPostTemplate sets the wording of new-draw posts.
func WithPostTemplate(t *template.Template) Option { return func(e *Engine) { e.post = t } }

// RenderPost renders the post for one delivery, in the language its
// destination chose.
//
// A post is made once per version of the draws (see postCache): the sender
// asks for each batch of deliveries it claims.
func (e *Engine) RenderPost(ctx context.Context, d domain.Delivery) (reply.Reply, error) {
	l, ok := i18n.Parse(d.Lang)
	if !ok {
		l = e.lang
	}
	key := postKey{number: d.Number, revision: d.Revision, before: d.Before, kind: d.Kind, lang: l}
	if d.Sub.Personal() {
		key.stop = stopCommand(d.Sub.Platform)
	}
	vs, versioned := e.store.(drawsVersioner)
	var version uint64
	if versioned {
		version = vs.DrawsVersion(ctx) // before reading: a write after it changes it
		if r, ok := e.posts.get(key, version); ok {
			return r, nil
		}
	}
	draw, err := e.store.Draw(ctx, d.Number)
	if err != nil {
		return reply.Reply{}, err
	}
	r, err := e.postReply(ctx, e.words.Printer(l), draw, d.Kind, d.Before)
	if err == nil && key.stop != "" {
		// A person's own alert says how to stop it, below the news.
		r.Summary += "\n\n" + e.words.Printer(l).T("alert.post.stop", "Stop", key.stop)
	}
	if err == nil && versioned {
		e.posts.put(key, version, r)
	}
	return r, err
}

// postReply is a post as a news card: the template's first line is the
// headline, the rest its body; the official link and a question to ask
// next follow. Posts carry no "data as of": they are news.
func (e *Engine) postReply(ctx context.Context, p i18n.Printer, draw domain.Draw, kind domain.PostKind, before string) (reply.Reply, error) {
	prev, err := e.previous(ctx, draw)
	if err != nil {
		return reply.Reply{}, err
	}
	data := PostData{Lang: string(p.Lang()), Kind: kind, Number: draw.Number, Date: p.Date(draw.Date), Label: catTitle(p, draw.Category),
		Name: e.roundTitle(ctx, p, draw.Name), CRS: draw.CRS, Invitations: p.Num(draw.Size), TieBreak: tieBreak(p, draw), URL: draw.URL,
		Moderator: draw.Origin == domain.OriginModerator, Changes: changes(p, draw, domain.ParseChanges(before))}
	if prev != nil {
		data.Change = change(p, draw, prev)
	}
	var b strings.Builder
	if err := e.post.Execute(&b, data); err != nil {
		return reply.Reply{}, fmt.Errorf("post template: %w", err)
	}
	head, body, _ := strings.Cut(strings.TrimSpace(b.String()), "\n")
	return reply.Reply{
		Title:    strings.TrimSpace(head),
		Summary:  strings.TrimSpace(body),
		URL:      draw.URL,
		Category: string(draw.Category),
		Lang:     string(p.Lang()),
		Links:    []reply.Link{{Label: p.T("link.round", "Number", draw.Number), URL: draw.URL}},
		Choices:  []string{"cutoff " + cmpKey(draw.Category)},
		Source:   feedSource,
		Time:     drawTime(draw),
	}, nil
}

// changes says what a correction changed: "CRS 469 → 471 · invitations
// 2,850 → 3,000".
func changes(p i18n.Printer, d domain.Draw, old map[string]string) string {
	var parts []string
	if v, ok := old["crs"]; ok {
		parts = append(parts, p.T("post.changed.crs", "Old", v, "New", p.Num(d.CRS)))
	}
	if v, ok := old["size"]; ok {
		n, _ := strconv.Atoi(v)
		parts = append(parts, p.T("post.changed.size", "Old", p.Num(n), "New", p.Num(d.Size)))
	}
	if v, ok := old["date"]; ok {
		parts = append(parts, p.T("post.changed.date", "Old", p.Date(v), "New", p.Date(d.Date)))
	}
	if v, ok := old["category"]; ok {
		parts = append(parts, p.T("post.changed.category", "Old", catTitle(p, domain.Key(v)), "New", catTitle(p, d.Category)))
	}
	if _, ok := old["tie"]; ok {
		parts = append(parts, p.T("post.changed.tie", "New", tieBreak(p, d)))
	}
	if len(parts) == 0 {
		return p.T("post.changed.wording")
	}
	return strings.Join(parts, " · ")
}

// previous is the draw of the same category just before d.
func (e *Engine) previous(ctx context.Context, d domain.Draw) (*domain.Draw, error) {
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: d.Category, Limit: 50})
	if err != nil {
		return nil, err
	}
	for i, x := range ds {
		if x.Number == d.Number && i+1 < len(ds) {
			return &ds[i+1], nil
		}
	}
	return nil, nil
}
