package telegram

import (
	"container/list"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// MaxCaption is Telegram's limit on a photo's caption after entity parsing.
const MaxCaption = 1024

// maxPhotoIDs bounds the remembered uploads: one file_id per chart version
// and language, so a few thousand bytes each.
const maxPhotoIDs = 256

// photoMessages renders a reply with a picture: one sendPhoto whose
// caption is the reply (headline, key numbers, note, source), within
// Telegram's 1,024 characters. What does not fit (the details first, then
// the note) follows as a text message, so nothing is lost.
func (b *Bot) photoMessages(r reply.Reply, replyTo int, w i18n.Printer) []outMsg {
	short := r
	short.Table, short.Links, short.Choices = nil, nil, nil
	var rest reply.Reply
	caption := renderHTML(short, w)
	if plainLen(caption) > MaxCaption {
		rest.Lines, short.Lines = short.Lines, nil
		caption = renderHTML(short, w)
	}
	if plainLen(caption) > MaxCaption {
		rest.Note, short.Note = short.Note, ""
		caption = renderHTML(short, w)
	}
	for plainLen(caption) > MaxCaption && short.Summary != "" {
		s := []rune(short.Summary)
		short.Summary = strings.TrimSpace(string(s[:len(s)*3/4])) + "…"
		caption = renderHTML(short, w)
	}
	if plainLen(caption) > MaxCaption {
		caption = escape(clipRunes(r.Title, 200))
	}
	out := []outMsg{{text: caption, photo: r.Image, replyTo: replyTo}}
	rest.Table, rest.Links, rest.Choices, rest.Actions, rest.Pager = r.Table, r.Links, r.Choices, r.Actions, r.Pager
	if len(rest.Lines) > 0 || rest.Note != "" || rest.Table != nil || len(rest.MoreLinks()) > 0 {
		for _, t := range splitHTML(renderHTML(rest, w), MaxMessage) {
			out = append(out, outMsg{text: t})
		}
	}
	out[len(out)-1].markup = b.pages.keyboard(r, w)
	return out
}

// sendPhoto sends a part with a picture: by the file_id Telegram gave the
// same picture before, else uploaded (multipart). A file_id Telegram no
// longer knows is forgotten and the picture uploaded instead.
func (b *Bot) sendPhoto(api *tgbotapi.BotAPI, chatID int64, p outMsg) (int, error) {
	send := func(file tgbotapi.RequestFileData) (tgbotapi.Message, error) {
		c := tgbotapi.NewPhoto(chatID, file)
		c.Caption = p.text
		c.ParseMode = tgbotapi.ModeHTML
		if p.replyTo != 0 {
			c.ReplyToMessageID = p.replyTo
			c.AllowSendingWithoutReply = true
		}
		if p.markup != nil {
			c.ReplyMarkup = *p.markup
		}
		return api.Send(c)
	}
	img := p.photo
	if id, ok := b.photoIDs.get(img.Key); ok {
		m, err := send(tgbotapi.FileID(id))
		if err == nil || !badFileID(err) {
			return m.MessageID, err
		}
		b.photoIDs.forget(img.Key)
	}
	m, err := send(tgbotapi.FileBytes{Name: img.Name, Bytes: img.Data})
	if err == nil && img.Key != "" {
		if id := largest(m.Photo); id != "" {
			b.photoIDs.put(img.Key, id)
		}
	}
	return m.MessageID, err
}

// badFileID reports Telegram refusing a file_id it does not know (400).
func badFileID(err error) bool {
	te, ok := err.(*tgbotapi.Error)
	return ok && te.Code == 400 && (strings.Contains(te.Message, "file identifier") || strings.Contains(te.Message, "FILE_ID") ||
		strings.Contains(te.Message, "file reference") || strings.Contains(te.Message, "wrong remote file"))
}

// largest is the file_id of the biggest size Telegram made of a photo.
func largest(sizes []tgbotapi.PhotoSize) string {
	id, area := "", -1
	for _, s := range sizes {
		if s.Width*s.Height > area {
			id, area = s.FileID, s.Width*s.Height
		}
	}
	return id
}

// plainLen is the length of rendered HTML as Telegram counts a caption:
// the text after entity parsing, in UTF-16 units.
func plainLen(html string) int {
	n := 0
	for _, t := range tokenize(html) {
		switch t.kind {
		case tkText:
			if strings.HasPrefix(t.s, "&") {
				n++ // an entity is one character
			} else {
				n += t.n
			}
		case tkNewline, tkSpace:
			n++
		}
	}
	return n
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// photoIDs remembers the file_id of each uploaded picture by its Key (a
// chart, its language and its data version), the most recent first.
type photoIDs struct {
	mu    sync.Mutex
	order *list.List // of photoID
	byKey map[string]*list.Element
}

type photoID struct{ key, id string }

func (c *photoIDs) get(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(el)
	return el.Value.(photoID).id, true
}

func (c *photoIDs) put(key, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKey == nil {
		c.order, c.byKey = list.New(), map[string]*list.Element{}
	}
	if el, ok := c.byKey[key]; ok {
		el.Value = photoID{key, id}
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(photoID{key, id})
	for c.order.Len() > maxPhotoIDs {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(photoID).key)
	}
}

func (c *photoIDs) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.Remove(el)
		delete(c.byKey, key)
	}
}
