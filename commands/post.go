package commands

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

//go:embed templates/post.tmpl
var templates embed.FS

// PostData is what the post template sees.
type PostData struct {
	Kind        domain.PostKind
	Number      string
	Date        string
	Label       string // the category's short name
	Name        string // IRCC's round name
	CRS         int
	Invitations string // with thousands commas
	Change      string // vs the previous draw of the category; "" for the first
	TieBreak    string
	URL         string
	Moderator   bool // entered by a moderator, not yet in the feed
}

// LoadPostTemplate reads the post wording: the embedded default, or the
// operator's file at path (so wording changes need no rebuild).
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
	// Render a sample so a template that fails at run time fails at start.
	if err := t.Execute(&bytes.Buffer{}, PostData{Kind: domain.PostNew, Number: "1", Label: "x", Invitations: "1"}); err != nil {
		return nil, fmt.Errorf("post template %s: %w", path, err)
	}
	return t, nil
}

// WithPostTemplate sets the wording of new-draw posts.
func WithPostTemplate(t *template.Template) Option { return func(e *Engine) { e.post = t } }

// RenderPost renders the post for one delivery: the draw card with the template's
// text as its summary.
func (e *Engine) RenderPost(ctx context.Context, d domain.Delivery) (reply.Reply, error) {
	draw, err := e.store.Draw(ctx, d.Number)
	if err != nil {
		return reply.Reply{}, err
	}
	return e.postReply(ctx, draw, d.Kind)
}

func (e *Engine) postReply(ctx context.Context, draw domain.Draw, kind domain.PostKind) (reply.Reply, error) {
	prev, err := e.previous(ctx, draw)
	if err != nil {
		return reply.Reply{}, err
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	r := drawCard(draw, prev)
	data := PostData{Kind: kind, Number: draw.Number, Date: draw.Date, Label: label(draw.Category), Name: draw.Name,
		CRS: draw.CRS, Invitations: commas(draw.Size), TieBreak: tieBreak(draw), URL: draw.URL, Moderator: draw.Origin == domain.OriginModerator}
	if prev != nil {
		data.Change = change(draw, prev)
	}
	var b strings.Builder
	if err := e.post.Execute(&b, data); err != nil {
		return reply.Reply{}, fmt.Errorf("post template: %w", err)
	}
	r.Summary = strings.TrimSpace(b.String())
	if kind == domain.PostCorrection {
		r.Title = "Correction: " + r.Title
	}
	r.AsOf = asOf
	return r, nil
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
