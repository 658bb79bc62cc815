package telegram

import (
	"context"
	"fmt"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// phoneAsks are the answers people ask most, in both languages.
var phoneAsks = []struct{ name, line string }{
	{"cutoff", "/cutoff healthcare"},
	{"cutoff-all", "/cutoff all"},
	{"eligible", "/eligible 33109"},
	{"eligible-yes", "/eligible 31301"},
	{"draws", "/draws"},
	{"history", "/history healthcare"},
	{"match", "/match 470 healthcare"},
	{"match-open", "/match 470"},
	{"next", "/next healthcare"},
	{"stats", "/stats cec 2024"},
	{"pool", "/pool"},
	{"pool-range", "/pool 475"},
	{"noc", "/noc nurse"},
	{"categories", "/categories"},
	{"oinp", "/oinp"},
	{"about", "/about"},
	{"help", "/help"},
	{"start", "/start"},
	{"error", "/eligible 99999"},
	{"clarify", "healthcare 2025"},
	{"decline", "what is the weather"},
	{"private-alert", "alert me when a healthcare draw is under 470"},
	{"private-alerts", "/alerts"},
}

// One 360-px phone screen, as a Telegram chat shows it: a 360x640 screen
// less the status bar (24 px), the chat's header (56) and its input bar
// (48) leaves 512 px for the question and the answer. In the bubble a line
// of text is 20 px and holds about 36 characters; a <pre> line is 17 px
// and never wraps (its width is checked separately). The figures were
// measured on the Chromium renders of TestPhonePreview.
const (
	phoneScreen    = 512
	phoneLineChars = 36
	textLine       = 20.25
	preLine        = 17
	chrome         = 70 // the question's bubble, the answer's padding and margins
	keyRow         = 40 // a row of buttons under the answer
)

// phoneHeight estimates the pixels a question and its answer take, and
// the lines the answer shows.
func phoneHeight(htmlText string, keyRows int) (px float64, lines, widest int) {
	pre := false
	px = chrome + float64(keyRows*keyRow)
	for _, l := range strings.Split(htmlText, "\n") {
		if strings.Contains(l, "<pre>") {
			pre = true
		}
		plain := html.UnescapeString(tags.ReplaceAllString(l, ""))
		n := utf8.RuneCountInString(plain)
		switch {
		case pre:
			px += preLine
			lines++
			widest = max(widest, n)
		case n == 0:
			px += textLine
			lines++
		default:
			wrapped := (n + phoneLineChars - 1) / phoneLineChars
			px += textLine * float64(wrapped)
			lines += wrapped
		}
		if strings.Contains(l, "</pre>") {
			pre = false
		}
	}
	return px, lines, widest
}

// keyRows counts the rows of buttons Telegram shows under a reply.
func keyRows(r reply.Reply, w i18n.Printer) int {
	if kb := newPageKeys(16).keyboard(r, w); kb != nil {
		return len(kb.InlineKeyboard)
	}
	return 0
}

var tags = regexp.MustCompile(`<[^>]*>`)

// The answers with a key fact fit one phone screen in both languages,
// their first line holds the fact, and no table line is wider than the
// bubble. It logs, per command and language, lines, characters and fit.
func TestPhoneFit(t *testing.T) {
	eng := commandstest.New(t)
	w := map[string]func(r reply.Reply) string{}
	for _, lang := range []string{"en", "fr"} {
		words := eng.Words(lang)
		w[lang] = func(r reply.Reply) string { return renderHTML(r, words) }
	}
	mustFit := map[string]bool{"cutoff": true, "cutoff-all": true, "eligible": true, "eligible-yes": true, "draws": true, "match": true,
		"match-open": true, "next": true, "stats": true, "pool-range": true, "start": true, "error": true, "clarify": true, "decline": true}
	for _, lang := range []string{"en", "fr"} {
		for _, a := range phoneAsks {
			r := eng.Ask(context.Background(), a.line, commands.Caller{Locale: lang})
			h := w[lang](r)
			px, lines, widest := phoneHeight(h, keyRows(r, eng.Words(lang)))
			chars := utf8.RuneCountInString(html.UnescapeString(tags.ReplaceAllString(h, "")))
			fits := px <= phoneScreen
			t.Logf("%-12s %s: %2d lines, %4d characters, %4.0f px, widest table line %2d, fits one 360-px screen: %v", a.name, lang, lines, chars, px, widest, fits)
			if widest > TableWidth {
				t.Errorf("%s %s: a table line of %d columns", a.name, lang, widest)
			}
			if mustFit[a.name] && !fits {
				t.Errorf("%s %s: %.0f px, more than one phone screen:\n%s", a.name, lang, px, h)
			}
		}
	}
}

// TestPhonePreview renders each answer as a Telegram bubble at 360 and 412
// px wide, to PNG with headless Chromium, for people to look at:
// EEBOT_PREVIEW=dir go test -run TestPhonePreview ./bot/telegram/
func TestPhonePreview(t *testing.T) {
	dir := os.Getenv("EEBOT_PREVIEW")
	if dir == "" {
		t.Skip("set EEBOT_PREVIEW to a directory to render previews")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium")
	}
	eng := commandstest.New(t)
	for _, lang := range []string{"en", "fr"} {
		for _, a := range phoneAsks {
			t.Run(a.name+"-"+lang, func(t *testing.T) { preview(t, eng, chromium, dir, a.name, a.line, lang) })
		}
	}
}

// preview renders one answer as a bubble at two phone widths.
func preview(t *testing.T, eng *commands.Engine, chromium, dir, name, line, lang string) {
	caller := commands.Caller{Locale: lang}
	if strings.HasPrefix(name, "private-") {
		// As a person in a private chat with the bot.
		caller = commands.Caller{Platform: domain.Telegram, UserID: "4242", Destination: "4242", Private: true, Locale: lang}
	}
	r := eng.Ask(context.Background(), line, caller)
	var buttons []string
	if kb := newPageKeys(16).keyboard(r, eng.Words(lang)); kb != nil {
		for _, row := range kb.InlineKeyboard {
			var cells []string
			for _, b := range row {
				cells = append(cells, `<span class="btn">`+html.EscapeString(b.Text)+`</span>`)
			}
			buttons = append(buttons, `<div class="row">`+strings.Join(cells, "")+`</div>`)
		}
	}
	est, _, _ := phoneHeight(renderHTML(r, eng.Words(lang)), keyRows(r, eng.Words(lang)))
	for _, width := range []int{360, 412} {
		page := filepath.Join(dir, fmt.Sprintf("tg-%s-%s-%d.html", name, lang, width))
		body := bubbleBody(renderHTML(r, eng.Words(lang)))
		doc := fmt.Sprintf(bubblePage, width, html.EscapeString(line), body, strings.Join(buttons, ""))
		if err := os.WriteFile(page, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		shot := strings.TrimSuffix(page, ".html") + ".png"
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
			"--user-data-dir="+t.TempDir(), fmt.Sprintf("--window-size=%d,1400", width), "--screenshot="+shot, "file://"+page)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("chromium: %v\n%s", err, out)
		}
		t.Logf("%s: content %d px high (estimate at 360 px: %.0f)", shot, contentHeight(t, shot), est)
	}
}

// bubbleBody turns Telegram's line breaks into <br> outside <pre>, whose
// own newlines the page keeps.
func bubbleBody(h string) string {
	var b strings.Builder
	for i, part := range strings.Split(h, "<pre>") {
		if i > 0 {
			code, rest, _ := strings.Cut(part, "</pre>")
			b.WriteString("<pre>" + code + "</pre>")
			part = strings.TrimPrefix(rest, "\n")
		}
		b.WriteString(strings.ReplaceAll(part, "\n", "<br>"))
	}
	return b.String()
}

// contentHeight is the last row of a screenshot that is not background.
func contentHeight(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Max.Y-1)
	for y := b.Max.Y - 1; y >= b.Min.Y; y-- {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				return y + 1
			}
		}
	}
	return 0
}

// bubblePage draws a Telegram-like chat: the question, then the bot's
// answer in a bubble with its keyboard, at a phone's width.
const bubblePage = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;width:%dpx;background:#dfe7ef;font:15px/1.35 -apple-system,Roboto,"DejaVu Sans",sans-serif}
.q{margin:10px 10px 6px auto;max-width:75%%;background:#effdde;border-radius:12px;padding:6px 10px;width:fit-content}
.a{margin:6px 40px 4px 10px;background:#fff;border-radius:12px;padding:7px 10px;overflow-wrap:anywhere}
.a pre{font:13px/1.3 "DejaVu Sans Mono",monospace;margin:0;white-space:pre}
.a a{color:#2b7bc5;text-decoration:none}
.kb{margin:0 40px 10px 10px}.row{display:flex;gap:4px;margin-top:4px}
.btn{flex:1;text-align:center;background:rgba(0,0,0,.25);color:#fff;border-radius:8px;padding:8px 4px;font-size:14px}
</style></head><body><div class="q">%s</div><div class="a">%s</div><div class="kb">%s</div></body></html>`
