package telegram

import (
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// MaxCallbackData is Telegram's limit on callback_data, in bytes.
const MaxCallbackData = 64

// Callback data of the Previous/Next buttons:
//
//	pg:<command>:<page>:<args>     e.g. "pg:history:2:healthcare"
//	pk:<key>:<page>                when that would exceed 64 bytes; the
//	                               command and args wait in a bounded
//	                               in-memory table under key
const (
	pagePrefix = "pg:"
	keyPrefix  = "pk:"
)

// pageKeys keeps the command and args of pagers and actions too long for
// callback data. It is bounded; the oldest entries go first.
type pageKeys struct {
	mu    sync.Mutex
	next  uint64
	byKey map[string]reply.Pager
	order []string
	max   int
}

func newPageKeys(max int) *pageKeys { return &pageKeys{byKey: map[string]reply.Pager{}, max: max} }

func (k *pageKeys) put(p reply.Pager) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.next++
	key := strconv.FormatUint(k.next, 36)
	k.byKey[key] = reply.Pager{Command: p.Command, Args: p.Args}
	k.order = append(k.order, key)
	if len(k.order) > k.max {
		delete(k.byKey, k.order[0])
		k.order = k.order[1:]
	}
	return key
}

func (k *pageKeys) get(key string) (reply.Pager, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, ok := k.byKey[key]
	return p, ok
}

// pageData encodes the button that shows page of p.
func (k *pageKeys) pageData(p reply.Pager, page int) string {
	d := pagePrefix + p.Command + ":" + strconv.Itoa(page) + ":" + p.Args
	if len(d) <= MaxCallbackData && !strings.ContainsAny(p.Command, ":") {
		return d
	}
	return keyPrefix + k.put(p) + ":" + strconv.Itoa(page)
}

// press is what a button sends back: a command typed as text, and a page.
type press struct {
	command, args string
	page          int
}

// parsePageData decodes callback data into the press of a page; ok is
// false for data that is not ours or has expired.
func (k *pageKeys) parsePageData(data string) (press, bool) {
	switch {
	case strings.HasPrefix(data, pagePrefix):
		parts := strings.SplitN(data[len(pagePrefix):], ":", 3)
		if len(parts) != 3 || parts[0] == "" {
			return press{}, false
		}
		page, err := strconv.Atoi(parts[1])
		if err != nil || page < 1 {
			return press{}, false
		}
		return press{command: parts[0], page: page, args: parts[2]}, true
	case strings.HasPrefix(data, keyPrefix):
		key, pg, ok := strings.Cut(data[len(keyPrefix):], ":")
		page, err := strconv.Atoi(pg)
		if !ok || err != nil || page < 1 {
			return press{}, false
		}
		p, ok := k.get(key)
		if !ok {
			return press{}, false
		}
		return press{command: p.Command, page: page, args: p.Args}, true
	}
	return press{}, false
}

// pagerRow returns the Previous/Next buttons of a paged rep, or nil.
func (k *pageKeys) pagerRow(p *reply.Pager, w i18n.Printer) []tgbotapi.InlineKeyboardButton {
	if p == nil || (!p.HasPrev() && !p.HasNext()) {
		return nil
	}
	var row []tgbotapi.InlineKeyboardButton
	if p.HasPrev() {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(w.T("button.prev"), k.pageData(*p, p.Page-1)))
	}
	if p.HasNext() {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(w.T("button.next"), k.pageData(*p, p.Page+1)))
	}
	return row
}
