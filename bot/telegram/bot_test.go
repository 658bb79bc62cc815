package telegram

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
)

const round422 = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html?q=422"

// checkMessage asserts what every answer must be: HTML, no link previews,
// and <pre> lines no wider than TableWidth, narrow enough for phones.
func checkMessage(t *testing.T, c faketelegram.Call) {
	t.Helper()
	if c.ParseMode != "HTML" || !c.DisablePreview {
		t.Errorf("parse_mode=%q disable_web_page_preview=%v", c.ParseMode, c.DisablePreview)
	}
	for _, pre := range between(c.Text, "<pre>", "</pre>") {
		for _, l := range strings.Split(pre, "\n") {
			plain, _ := faketelegram.ParseHTML(l)
			if n := utf8.RuneCountInString(plain); n > TableWidth {
				t.Errorf("table line of %d columns: %q", n, plain)
			}
		}
	}
}

func between(s, open, close string) []string {
	var out []string
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, close)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j+len(close):]
	}
}

type keyboard struct {
	Rows [][]struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	} `json:"inline_keyboard"`
}

func parseKeyboard(t *testing.T, raw string) keyboard {
	t.Helper()
	var kb keyboard
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &kb); err != nil {
			t.Fatalf("reply_markup %q: %v", raw, err)
		}
	}
	return kb
}

func (k keyboard) data() []string {
	var out []string
	for _, r := range k.Rows {
		for _, b := range r {
			out = append(out, b.Text+"="+b.CallbackData)
		}
	}
	return out
}

// TestCommands asks every command in a private chat and checks the answer
// against the embedded data.
func TestCommands(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	for _, tc := range []struct {
		text    string
		plain   []string // in the text users see
		html    []string // in the HTML source
		buttons []string // inline keyboard buttons, as "label=callback data"
	}{
		{"/cutoff healthcare",
			[]string{"Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026", "#422", "▲8 vs the previous healthcare draw (467, Feb 20, 2026)", "IRCC rounds feed", "data as of Aug 20, 2026"},
			[]string{`<b><a href="` + round422 + `">Healthcare: CRS 475 · 4,000 invitations · Jun 25, 2026</a></b>`, "<i>IRCC rounds feed · data as of Aug 20, 2026</i>"}, nil},
		{"/eligible 33109",
			[]string{"NOC 33109", "is not on a current category list", "Was on Healthcare occupations (Version 1), May 31, 2023 to Feb 27, 2025", "Not on version 3, in force since Feb 18, 2026"},
			[]string{"category-based-selection.html"}, nil},
		{"/draws", []string{"Last 10 Express Entry draws: newest CRS 382 on Aug 19, 2026", "437 Aug 19 French    382 5,000"}, []string{"invitations.html?q=437", "<pre>"}, nil},
		{"/history healthcare", []string{"Page 1 of 2", "422 Jun 25, 2026", "327 Nov 20, 2024"}, []string{"<pre>"}, nil},
		{"/pool", []string{"226,859 candidates", "501-600      18,657 -1,048"}, []string{"<pre>"}, nil},
		{"/match 470 healthcare", []string{"4 of the last 10", "not a prediction"}, []string{round422}, nil},
		{"/noc nurse", []string{"31301 Registered nurses", "eligible 31302"}, nil, []string{"eligible 31302=act:eligible:31302"}},
		{"/categories", []string{"Healthcare v3, since Feb 18, 2026", "No current version: Agriculture"}, nil, nil},
		{"/about", []string{"I answer questions about Express Entry draws", "Not affiliated with IRCC"}, nil, nil},
		{"/help", []string{"What you can ask", "cutoff healthcare"}, nil, nil},
		{"/start", []string{"Hi! I answer Express Entry questions."}, nil,
			[]string{"Latest draws=act:draws:", "Healthcare cutoff=act:cutoff:healthcare", "Is NOC 33109 eligible?=act:eligible:33109"}},
		{"is 33109 eligible", []string{"NOC 33109", "Was on Healthcare occupations (Version 1)"}, nil, nil},
		{"last healthcare cutoff", []string{"#422", "CRS 475"}, []string{round422}, nil},
		{"/cutoff@OurBot healthcare", []string{"#422"}, nil, nil},
		{"/cutoff_healthcare", []string{"Healthcare: CRS 475", "#422"}, nil, nil}, // a tappable command from a reply
		{"/cutoff astrology", []string{"“astrology” isn't a category I know", "healthcare, stem"}, []string{"<b>“astrology” isn't a category I know</b>"}, nil},
		{"/eligible 99999", []string{"99999 isn't a NOC 2021 code", "noc nurse"}, []string{"<b>99999 isn't a NOC 2021 code</b>"}, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			c := h.ask(chat, alice, tc.text)
			checkMessage(t, c)
			for _, w := range tc.plain {
				if !strings.Contains(c.Plain, w) {
					t.Errorf("answer lacks %q:\n%s", w, c.Plain)
				}
			}
			for _, w := range tc.html {
				if !strings.Contains(c.Text, w) {
					t.Errorf("HTML lacks %q:\n%s", w, c.Text)
				}
			}
			buttons := parseKeyboard(t, c.ReplyMarkup).data()
			for _, w := range tc.buttons {
				if !slices.Contains(buttons, w) {
					t.Errorf("keyboard lacks %q: %q", w, buttons)
				}
			}
			if c.ReplyTo != 0 {
				t.Errorf("private answers should not quote: reply_to=%d", c.ReplyTo)
			}
		})
	}
}

// TestGroup: commands addressed to us are answered (quoting them), those
// for another bot and plain text are ignored.
func TestGroup(t *testing.T) {
	h := start(t, nil, nil)
	h.srv.PushText(group, alice, "/cutoff@OtherBot healthcare")
	h.srv.PushText(group, alice, "last healthcare cutoff")
	h.srv.PushText(group, alice, "/frobnicate")
	m := h.srv.PushText(group, bob, "/cutoff@OurBot healthcare")
	h.waitSent(group.ID, 1)
	m2 := h.srv.PushText(group, bob, "/eligible@ourbot 33109")
	sent := h.waitSent(group.ID, 2)
	h.stop()
	if n := len(h.srv.Sent(group.ID)); n != 2 || h.bot.queue.pending() != 0 {
		t.Fatalf("group got %d messages (and %d queued), want 2: %+v", n, h.bot.queue.pending(), h.srv.Sent(group.ID))
	}
	if sent[0].ReplyTo != m.MessageID || !strings.Contains(sent[0].Plain, "nº\u00a0422") {
		t.Errorf("first answer: reply_to=%d text=%q", sent[0].ReplyTo, sent[0].Plain)
	}
	// bob's Telegram is in French, and nothing set the group's language.
	if sent[1].ReplyTo != m2.MessageID || !strings.Contains(sent[1].Plain, "CNP 33109") {
		t.Errorf("second answer: reply_to=%d text=%q", sent[1].ReplyTo, sent[1].Plain)
	}
	if h.srv.Pending() != 0 {
		t.Errorf("%d updates left unconfirmed", h.srv.Pending())
	}
}

// TestHostileInput: user text echoed in an error reply is escaped and
// cannot mention anyone.
func TestHostileInput(t *testing.T) {
	h := start(t, nil, nil)
	for _, chat := range []faketelegram.Chat{faketelegram.PrivateChat(alice), group} {
		c := h.ask(chat, alice, "/eligible@OurBot <b>&@everyone</b> & <a href=x>")
		if !strings.Contains(c.Text, "&lt;b&gt;&amp;@\u2060everyone&lt;/b&gt;") {
			t.Errorf("hostile input not escaped:\n%s", c.Text)
		}
		if strings.Contains(c.Plain, "@everyone") || strings.Contains(c.Text, "<a href=x>") {
			t.Errorf("raw input survived:\n%s", c.Text)
		}
		if !strings.Contains(c.Plain, "<b>&@") {
			t.Errorf("the echo should read as typed:\n%s", c.Plain)
		}
	}
}

// TestPageTurn: /history has Previous/Next; a press is answered and edits
// the message in place.
func TestPageTurn(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	c := h.ask(chat, alice, "/history healthcare")
	kb := parseKeyboard(t, c.ReplyMarkup)
	if got := strings.Join(kb.data(), " "); got != "Next ▶=pg:history:2:healthcare" {
		t.Fatalf("page 1 keyboard: %q", got)
	}
	qid := h.srv.PushCallback(chat, alice, c.MessageID, "pg:history:2:healthcare")
	edits, err := h.srv.WaitCalls(ctxT(t), "editMessageText", 1)
	if err != nil {
		t.Fatal(err)
	}
	answers := h.srv.Calls("answerCallbackQuery")
	if len(answers) != 1 || answers[0].CallbackID != qid {
		t.Errorf("callback answers: %+v", answers)
	}
	e := edits[0]
	if e.ChatID != chat.ID || e.MessageID != c.MessageID || !strings.Contains(e.Plain, "Page 2 of 2") {
		t.Errorf("edit: chat %d message %d text %q", e.ChatID, e.MessageID, e.Plain)
	}
	checkMessage(t, e)
	if got := strings.Join(parseKeyboard(t, e.ReplyMarkup).data(), " "); got != "◀ Previous=pg:history:1:healthcare" {
		t.Errorf("page 2 keyboard: %q", got)
	}
	html, _, _ := h.srv.MessageText(chat.ID, c.MessageID)
	if html != e.Text {
		t.Error("message not edited in place")
	}
	// An expired or foreign button is still answered.
	h.srv.PushCallback(chat, alice, c.MessageID, "pk:nope:2")
	if _, err := h.srv.WaitCalls(ctxT(t), "answerCallbackQuery", 2); err != nil {
		t.Fatal(err)
	}
	if n := len(h.srv.Sent(chat.ID)); n != 1 {
		t.Errorf("page turns sent %d new messages", n)
	}
}

// TestMenu: the default and French menus are set through Request; the
// managers' commands only for chat administrators; moderator-only commands
// never.
func TestMenu(t *testing.T) {
	h := start(t, nil, func(c *Config) {
		c.ModeratorCommands = []commands.Spec{{Name: "extra", Description: "A later moderator command", DescriptionFR: "Une commande"}}
	})
	if err := h.srv.Wait(ctxT(t), func(v faketelegram.View) bool { return len(v.Calls("setMyCommands")) >= 6 }); err != nil {
		t.Fatal(err)
	}
	menus := h.srv.Menus()
	names := func(m faketelegram.Menu) string {
		var out []string
		for _, c := range m.Commands {
			out = append(out, c.Command)
		}
		return strings.Join(out, " ")
	}
	// start is a Hidden command: it works when typed but is in no menu.
	// Groups' menus leave out a person's own alerts (alert, alerts).
	const public = "eligible cutoff draws history pool stats chart next match crs noc oinp categories about help alert alerts forget"
	const group = "eligible cutoff draws history pool stats chart next match crs noc oinp categories about help forget"
	for i, want := range []struct{ scope, lang, names string }{
		{"default", "", public},
		{"default", "fr", public},
		{"all_group_chats", "", group},
		{"all_group_chats", "fr", group},
		{"all_chat_administrators", "", group + " subscribe language subscriptions unsubscribe extra"},
		{"all_chat_administrators", "fr", group + " subscribe language subscriptions unsubscribe extra"},
	} {
		m := menus[i]
		if m.Scope != want.scope || m.LanguageCode != want.lang || names(m) != want.names {
			t.Errorf("menu %d: scope %s lang %q: %s\nwant %+v", i, m.Scope, m.LanguageCode, names(m), want)
		}
	}
	if d := menus[1].Commands[1].Description; !strings.Contains(d, "seuil") {
		t.Errorf("French cutoff description: %q", d)
	}
	if d := menus[0].Commands[1].Description; !strings.Contains(d, "Latest CRS cutoff") {
		t.Errorf("English cutoff description: %q", d)
	}
}

// TestSubscribeNeedsAdmin: the caller passed to the engine says who may
// manage a group (getChatMember), and which chat it is.
func TestSubscribeNeedsAdmin(t *testing.T) {
	h := start(t, nil, nil)
	h.srv.SetMember(group.ID, alice.ID, "administrator")
	c := h.ask(group, bob, "/subscribe@OurBot healthcare") // bob's Telegram is in French
	if !strings.Contains(c.Plain, "Seules les personnes qui gèrent ce salon ou ce groupe") {
		t.Errorf("member could subscribe:\n%s", c.Plain)
	}
	c = h.ask(group, alice, "/subscribe healthcare 480")
	if !strings.Contains(c.Plain, "This chat will get a post for healthcare draws with a cutoff of 480 or less") {
		t.Errorf("admin could not subscribe:\n%s", c.Plain)
	}
	c = h.ask(group, bob, "/subscriptions")
	if !strings.Contains(c.Plain, "tirages santé") {
		t.Errorf("subscriptions:\n%s", c.Plain)
	}
	// Free text in a private chat carries the caller too: there, draw
	// alerts are the person's own (alert), not the chat's.
	c = h.ask(faketelegram.PrivateChat(alice), alice, "subscribe stem")
	if !strings.Contains(c.Plain, "In a private chat, draw alerts are your own") || !strings.Contains(c.Plain, "alert healthcare 470") {
		t.Errorf("private free-text subscribe:\n%s", c.Plain)
	}
	if n := len(h.srv.Calls("getChatMember")); n != 2 {
		t.Errorf("%d getChatMember calls, want 2", n)
	}
}
