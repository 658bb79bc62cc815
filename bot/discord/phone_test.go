package discord

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
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
)

// phoneAsks are the answers people ask most, in both languages (the same
// list as the Telegram adapter's phone test).
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
}

// mustFit are the answers with a key fact: they fit one phone screen.
var mustFit = map[string]bool{"cutoff": true, "cutoff-all": true, "eligible": true, "eligible-yes": true, "draws": true, "match": true,
	"match-open": true, "next": true, "stats": true, "pool-range": true, "start": true, "error": true, "clarify": true, "decline": true}

// One 360-px phone screen, as Discord shows a channel: a 360x640 screen
// less the status bar (24 px), the channel header (56) and the message
// input (48) leaves 512 px for the "used /command" line and the bot's
// message. The card is embedPage's: 286 px of message beside the avatar,
// 260 inside the embed, 246 inside a code block (34 columns of 12-px
// monospace take 245). A line of 14-px text holds about textChars
// characters, the bold 16-px title titleChars and the 12-px footer
// footerChars, counting narrow glyphs as half a character and wide ones as
// 1.3 (see glyphs); a code line is 18 px and never wraps (its width is
// checked separately). The heights are embedPage's CSS; the characters a
// line holds were fitted to the Chromium renders of TestEmbedPreview,
// which the estimates match within about 20 px.
const (
	phoneScreen  = 512
	cardTop      = 64 // padding, the "used /command" line, the bot's name, the embed's margin and padding
	cardBottom   = 12 // the embed's bottom padding
	titleLine    = 22
	titleChars   = 28
	descGap      = 8 // above the description, the fields and the footer
	textLine     = 18
	textChars    = 34
	codeLine     = 18
	codeChrome   = 20 // a code block's margin, border and padding
	footerLine   = 16
	footerChars  = 40
	buttonRow    = 40  // a line of buttons and the gap above it
	buttonChar   = 7.4 // a button label's character, px (14-px text)
	buttonPad    = 40  // a button's padding plus the gap to the next
	buttonsWide  = 286 // the width buttons wrap in
	ephemeral    = 20  // "Only you can see this" under an ephemeral reply
	fieldsPerRow = 3   // inline fields side by side
)

// embedHeight estimates the pixels the command line and the bot's message
// take, the lines of text the card shows and its widest code-block line.
func embedHeight(m message) (px float64, lines, widest int) {
	e := m.Embed
	lines = wrapped(mdPlain(e.Title), titleChars)
	px = cardTop + cardBottom + titleLine*float64(lines)
	if e.Description != "" {
		px += descGap
		for i, seg := range strings.Split(e.Description, codeFence) {
			if i%2 == 1 { // inside a code block
				seg = strings.TrimSuffix(strings.TrimPrefix(seg, "\n"), "\n")
				px += codeChrome
				for _, l := range strings.Split(seg, "\n") {
					px += codeLine
					lines++
					widest = max(widest, utf8.RuneCountInString(l))
				}
				continue
			}
			for _, l := range textLines(seg, i > 0) {
				n := wrapped(mdPlain(l), textChars)
				px += textLine * float64(n)
				lines += n
			}
		}
	}
	if len(e.Fields) > 0 { // inline fields side by side, fieldsPerRow at most
		px += descGap
		row, side := 0.0, 0 // the current row's height and fields
		for _, f := range e.Fields {
			if !f.Inline || side == fieldsPerRow {
				if side > 0 {
					px += row + descGap
				}
				row, side = 0, 0
			}
			n := wrapped(mdPlain(f.Name), textChars) + wrapped(mdPlain(f.Value), textChars)
			row = max(row, textLine*float64(n))
			lines += n
			side++
			if !f.Inline {
				side = fieldsPerRow // a full-width field ends its row
			}
		}
		px += row
	}
	if e.Footer != nil {
		n := wrapped(e.Footer.Text, footerChars)
		px += descGap + footerLine*float64(n)
		lines += n
	}
	for _, c := range m.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		rows, used := 1, 0.0
		for _, b := range row.Components {
			if b, ok := b.(discordgo.Button); ok {
				w := buttonChar*glyphs(b.Label) + buttonPad
				if used > 0 && used+w > buttonsWide {
					rows, used = rows+1, 0
				}
				used += w
			}
		}
		px += buttonRow * float64(rows)
	}
	if m.Ephemeral {
		px += ephemeral
	}
	return px, lines, widest
}

// textLines splits the text between code blocks into the lines the page
// shows: the newline after a closing fence starts no line, nor does the one
// that ends the text.
func textLines(seg string, afterCode bool) []string {
	if afterCode {
		seg = strings.TrimPrefix(seg, "\n")
	}
	seg = strings.TrimSuffix(seg, "\n")
	if seg == "" {
		return nil
	}
	return strings.Split(seg, "\n")
}

// wrapped counts the lines s takes wrapped at n characters (as glyphs
// counts them), word by word; a word longer than a line is broken, as
// Discord's break-word does.
func wrapped(s string, n float64) int {
	lines := 0
	for _, l := range strings.Split(s, "\n") {
		lines++
		used := 0.0
		for _, field := range strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' }) {
			for j, w := range strings.SplitAfter(breaks.ReplaceAllString(field, "$1\x00$2"), "\x00") {
				k, gap := glyphs(strings.TrimSuffix(w, "\x00")), 0.5 // a space is narrow
				if j > 0 {
					gap = 0 // the line may break after a slash or hyphen
				}
				switch {
				case used == 0:
				case used+gap+k <= n:
					k += gap
				default:
					lines++
					used = 0
				}
				for k > n {
					lines++
					k -= n
				}
				used += k
			}
		}
	}
	return lines
}

// glyphs counts s's characters weighted by width: narrow ones (i, l, t,
// spaces, most punctuation) as half, capitals, m, w and symbols as 1.3.
func glyphs(s string) float64 {
	n := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune(" \u00a0\u202fijlftr.,:;'’!|()[]/-·I", r):
			n += 0.5
		case unicode.IsUpper(r) || r == 'm' || r == 'w' || r > 0x2000 && r != '•':
			n += 1.3
		default:
			n++
		}
	}
	return n
}

// breaks finds where a line may break inside a word: after a slash, or a
// hyphen before a letter.
var breaks = regexp.MustCompile(`(/|-)(\pL)`)

// The subset of Discord markdown render.go writes.
var (
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
	mdCode   = regexp.MustCompile("`([^`]+)`")
	mdBold   = regexp.MustCompile(`(?s)\*\*(.+?)\*\*`)
	mdItalic = regexp.MustCompile(`(?s)(^|\W)_(.+?)_(\W|$)`)
	mdEscape = regexp.MustCompile(`\\([[:punct:]])`)
)

// mdPlain is the text a reader sees in Discord markdown.
func mdPlain(s string) string {
	s, back := hideEscapes(s)
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdCode.ReplaceAllString(s, "$1")
	s = mdBold.ReplaceAllString(s, "$1")
	s = mdItalic.ReplaceAllString(s, "$1$2$3")
	return back(s, false)
}

// mdHTML renders Discord markdown outside code blocks as HTML.
func mdHTML(s string) string {
	s, back := hideEscapes(s)
	s = html.EscapeString(s)
	s = mdCode.ReplaceAllString(s, "<code>$1</code>")
	s = mdLink.ReplaceAllString(s, `<a href="$2">$1</a>`)
	s = mdBold.ReplaceAllString(s, "<strong>$1</strong>")
	s = mdItalic.ReplaceAllString(s, "$1<em>$2</em>$3")
	return back(s, true)
}

// hideEscapes swaps each backslash-escaped character for a private-use
// rune, so no markdown rule sees it; back restores the character (HTML
// escaped when asHTML).
func hideEscapes(s string) (string, func(s string, asHTML bool) string) {
	const base = 0xE000
	s = mdEscape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(base + int(m[1]))) })
	return s, func(s string, asHTML bool) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r <= base || r >= base+128:
				b.WriteRune(r)
			case asHTML:
				b.WriteString(html.EscapeString(string(r - base)))
			default:
				b.WriteRune(r - base)
			}
		}
		return b.String()
	}
}

// The answers with a key fact fit one 360-px phone screen in both
// languages, and no code-block line is wider than the card. It logs, per
// command and language, the estimated height, characters and fit.
func TestEmbedFit(t *testing.T) {
	eng := commandstest.New(t)
	for _, lang := range []string{"en", "fr"} {
		for _, a := range phoneAsks {
			t.Run(a.name+"-"+lang, func(t *testing.T) {
				r := eng.Ask(context.Background(), a.line, commands.Caller{Locale: lang})
				m := render(r, eng.Words(lang))
				px, lines, widest := embedHeight(m)
				fits := px <= phoneScreen
				t.Logf("%-12s %s: %2d lines, %4d characters, %4.0f px, widest code line %2d, fits one 360-px screen: %v",
					a.name, lang, lines, embedChars(m), px, widest, fits)
				if widest > codeWidth {
					t.Errorf("a code line of %d columns", widest)
				}
				if mustFit[a.name] && !fits {
					t.Errorf("%.0f px, more than one phone screen:\n%s\n%s", px, m.Embed.Title, m.Embed.Description)
				}
			})
		}
	}
}

// embedChars counts the characters a reader sees in the card's text.
func embedChars(m message) int {
	desc := strings.ReplaceAll(m.Embed.Description, codeFence, "")
	n := utf8.RuneCountInString(mdPlain(m.Embed.Title)) + utf8.RuneCountInString(mdPlain(desc))
	for _, f := range m.Embed.Fields {
		n += utf8.RuneCountInString(mdPlain(f.Name)) + utf8.RuneCountInString(mdPlain(f.Value))
	}
	if m.Embed.Footer != nil {
		n += utf8.RuneCountInString(m.Embed.Footer.Text)
	}
	return n
}

// TestEmbedPreview renders each answer as a Discord message at 360 and 412
// px wide, to PNG with headless Chromium, for people to look at and to
// calibrate embedHeight:
// EEBOT_PREVIEW=dir go test -run TestEmbedPreview ./bot/discord/
func TestEmbedPreview(t *testing.T) {
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
			t.Run(a.name+"-"+lang, func(t *testing.T) {
				t.Parallel() // each render waits on its own Chromium
				preview(t, eng, chromium, dir, a.name, a.line, lang)
			})
		}
	}
}

// preview renders one answer as a Discord message at two phone widths.
func preview(t *testing.T, eng *commands.Engine, chromium, dir, name, line, lang string) {
	m := render(eng.Ask(context.Background(), line, commands.Caller{Locale: lang}), eng.Words(lang))
	est, _, _ := embedHeight(m)
	for _, width := range []int{360, 412} {
		page := filepath.Join(dir, fmt.Sprintf("dc-%s-%s-%d.html", name, lang, width))
		doc := fmt.Sprintf(embedPage, width, m.Embed.Color, html.EscapeString(line), embedBody(m.Embed), buttonsHTML(m.Components), ephemeralHTML(m.Ephemeral))
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

// embedBody is the embed's inside: title (a link when it has a URL),
// description, fields and footer.
func embedBody(e *discordgo.MessageEmbed) string {
	var b strings.Builder
	title := mdHTML(e.Title)
	if e.URL != "" {
		title = `<a href="` + html.EscapeString(e.URL) + `">` + title + `</a>`
	}
	b.WriteString(`<div class="title">` + title + `</div>`)
	if e.Description != "" {
		b.WriteString(`<div class="desc">`)
		for i, seg := range strings.Split(e.Description, codeFence) {
			if i%2 == 1 { // inside a code block
				seg = strings.TrimSuffix(strings.TrimPrefix(seg, "\n"), "\n")
				b.WriteString("<pre>" + html.EscapeString(seg) + "</pre>")
				continue
			}
			if l := textLines(seg, i > 0); l != nil {
				text := strings.Join(l, "\n")
				if l[len(l)-1] == "" {
					text += "\n" // CSS draws no line after a final newline: the blank line before a code block needs one more
				}
				b.WriteString(`<div class="text">` + mdHTML(text) + `</div>`)
			}
		}
		b.WriteString(`</div>`)
	}
	if len(e.Fields) > 0 {
		b.WriteString(`<div class="fields">`)
		for _, f := range e.Fields {
			class := "field"
			if f.Inline {
				class += " inline"
			}
			b.WriteString(`<div class="` + class + `"><div class="fname">` + mdHTML(f.Name) + `</div><div class="text">` + mdHTML(f.Value) + `</div></div>`)
		}
		b.WriteString(`</div>`)
	}
	if e.Footer != nil {
		b.WriteString(`<div class="footer">` + html.EscapeString(e.Footer.Text) + `</div>`)
	}
	return b.String()
}

// buttonsHTML draws each action row of buttons, coloured by style.
func buttonsHTML(cs []discordgo.MessageComponent) string {
	var b strings.Builder
	for _, c := range cs {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		b.WriteString(`<div class="row">`)
		for _, c := range row.Components {
			if btn, ok := c.(discordgo.Button); ok {
				class := fmt.Sprintf("btn b%d", btn.Style)
				if btn.Disabled {
					class += " off"
				}
				b.WriteString(`<span class="` + class + `">` + html.EscapeString(btn.Label) + `</span>`)
			}
		}
		b.WriteString(`</div>`)
	}
	return b.String()
}

// ephemeralHTML is the line Discord adds under a reply only its asker sees.
func ephemeralHTML(ephemeral bool) string {
	if !ephemeral {
		return ""
	}
	return `<div class="eph">Only you can see this · <a>Dismiss message</a></div>`
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

// embedPage draws a Discord-like dark channel: the "used /command" line,
// then the bot's message with its embed, buttons and ephemeral note, at a
// phone's width, with Discord's own font stacks.
const embedPage = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;width:%dpx;background:#313338;color:#dbdee1;font:16px/22px "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif}
.msg{position:relative;padding:8px 10px 8px 64px}
.ref{position:relative;font-size:13px;line-height:18px;color:#b5bac1;margin-bottom:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ref:before{content:"";position:absolute;left:-42px;top:9px;width:34px;height:9px;border-left:2px solid #4e5058;border-top:2px solid #4e5058;border-top-left-radius:6px}
.ref b{color:#f2f3f5;font-weight:500}.ref span{color:#00a8fc}
.av{position:absolute;left:12px;top:30px;width:40px;height:40px;border-radius:50%%;background:#5865f2}
.name{font-weight:600;color:#f2f3f5}.app{font-size:10px;line-height:15px;background:#5865f2;color:#fff;border-radius:3px;padding:0 4px;margin:0 6px;vertical-align:2px}.time{font-size:12px;color:#949ba4}
.embed{margin-top:4px;background:#2b2d31;border-left:4px solid #%06x;border-radius:4px;padding:8px 10px 12px 12px;overflow-wrap:anywhere}
.title{font-size:16px;line-height:22px;font-weight:600;color:#f2f3f5}
a{color:#00a8fc;text-decoration:none}
.desc{display:flow-root;margin-top:8px;font-size:14px;line-height:18px}
.text{white-space:pre-wrap}
pre{font:12px/18px "gg mono","Source Code Pro",Consolas,"Liberation Mono",monospace;white-space:pre-wrap;background:#1e1f22;border:1px solid #1e1f22;border-radius:4px;padding:6px;margin:6px 0 0}
code{font:12px "gg mono","Source Code Pro",Consolas,"Liberation Mono",monospace;background:#1e1f22;padding:1px 2px;border-radius:3px}
.fields{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px;font-size:14px;line-height:18px}
.field{flex:1 1 100%%}.field.inline{flex:1 1 28%%}.fname{font-weight:600;color:#f2f3f5}
.footer{margin-top:8px;font-size:12px;line-height:16px;color:#b5bac1}
.row{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.btn{height:32px;line-height:32px;padding:0 16px;border-radius:3px;font-size:14px;font-weight:500;color:#fff;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:100%%;box-sizing:border-box}
.b1{background:#5865f2}.b2,.b5{background:#4e5058}.b3{background:#248046}.b4{background:#da373c}.off{opacity:.5}
.eph{margin-top:4px;font-size:12px;line-height:16px;color:#949ba4}
</style></head><body><div class="msg"><div class="ref"><b>you</b> used <span>%s</span></div><div class="av"></div>
<div><span class="name">eebot</span><span class="app">APP</span><span class="time">Today at 13:51</span></div>
<div class="embed">%s</div>%s%s</div></body></html>`
