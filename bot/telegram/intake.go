package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// How old questions are treated, measured from when they were sent
// (Telegram's message date; for a button press, from when it was kept).
const (
	// lateAfter: an answer to an older question says how old the question
	// is; older moderator commands and button presses are not run (they
	// change what every subscriber sees, or act on a message that has
	// moved on), and the moderator is told.
	lateAfter = 5 * time.Minute
	// staleAfter: older updates are dropped with a log line; Telegram
	// itself keeps unconfirmed updates no longer than this.
	staleAfter = 24 * time.Hour
	// handlerTimeout bounds the work on one update (engine and lookups).
	handlerTimeout = 30 * time.Second
	// An answer that could not be sent (Telegram down beyond the send
	// queue's own retries) is tried again, afresh, after retryAfter times
	// the tries so far, up to maxTries; then it waits in the inbox for the
	// next start.
	retryAfter = 30 * time.Second
	maxTries   = 3
)

// intake carries updates from the poll to the workers that answer them,
// and records in the inbox each one answered (see Config.Inbox).
type intake struct {
	b      *Bot
	life   context.Context // the handlers' context
	source string          // the inbox key, "telegram:<bot id>"
	offset int             // the next getUpdates offset, once polling ended

	mu       sync.Mutex
	work     []taken          // kept, not handled yet; oldest first
	pending  map[*ticket]bool // being handled, or their answer being sent
	busy     map[int64]bool   // chats with an update being handled
	stopped  bool             // a stop began: no more work is handed out
	changed  chan struct{}    // closed and replaced on every change
	answered []int64          // answered, not recorded yet
	total    int              // answered since the start

	keeper keeper // writes webhook deliveries in batches (webhook.go)

	workers sync.WaitGroup
	wake    chan struct{} // wakes the recorder
	quit    chan struct{} // stops the recorder
	recDone chan struct{} // nil until the recorder runs
}

// taken is one update on its way to an answer.
type taken struct {
	id    int64
	u     tgbotapi.Update
	at    time.Time // when it was kept (by an earlier run, for one left over)
	bad   error     // it could not be read
	tries int       // answers tried and not sent
}

func newIntake(b *Bot, life context.Context) *intake {
	return &intake{b: b, life: life, pending: map[*ticket]bool{}, busy: map[int64]bool{}, changed: make(chan struct{}),
		wake: make(chan struct{}, 1), quit: make(chan struct{})}
}

func (in *intake) notifyLocked() {
	close(in.changed)
	in.changed = make(chan struct{})
}

func parseTaken(raw []byte, at time.Time) taken {
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		var id struct {
			UpdateID int64 `json:"update_id"`
		}
		_ = json.Unmarshal(raw, &id)
		return taken{id: id.UpdateID, at: at, bad: err}
	}
	return taken{id: int64(u.UpdateID), u: u, at: at}
}

// start queues the updates an earlier run left unanswered, then starts the
// workers and the recorder.
func (in *intake) start(ctx context.Context) {
	left, err := in.b.cfg.Inbox.WaitingInbound(ctx, in.source)
	if err != nil {
		in.b.log.Error("telegram: cannot read the updates left unanswered", "err", err)
	}
	if len(left) > 0 {
		in.b.log.Info("telegram: answering updates left unanswered by the last run", "count", len(left))
	}
	in.mu.Lock()
	for _, l := range left {
		in.work = append(in.work, parseTaken(l.Body, l.At))
	}
	in.mu.Unlock()
	for range in.b.cfg.Handlers {
		in.workers.Go(in.worker)
	}
	in.recDone = make(chan struct{})
	go in.recordLoop()
}

// room waits while Config.MaxTaken updates are in hand; false once ctx ends.
func (in *intake) room(ctx context.Context) bool {
	in.mu.Lock()
	for ctx.Err() == nil && len(in.work)+len(in.pending) >= in.b.cfg.MaxTaken {
		ch := in.changed
		in.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		in.mu.Lock()
	}
	in.mu.Unlock()
	return ctx.Err() == nil
}

// keep stores a getUpdates batch (asked with offset) in the inbox and
// queues the updates it did not hold already. It returns the next offset,
// which confirms the batch to Telegram.
func (in *intake) keep(ctx context.Context, offset int, raws []json.RawMessage) (int, error) {
	now := in.b.cfg.Now()
	next := offset
	var batch []domain.Inbound
	byID := map[int64]taken{}
	for _, raw := range raws {
		t := parseTaken(raw, now)
		if t.id < int64(offset) {
			continue
		}
		batch = append(batch, domain.Inbound{ID: t.id, At: now, Body: raw})
		byID[t.id] = t
		next = max(next, int(t.id)+1)
	}
	if len(batch) == 0 {
		return next, nil
	}
	fresh, err := in.b.cfg.Inbox.KeepInbound(ctx, in.source, int64(offset), batch)
	if err != nil {
		return offset, err
	}
	in.mu.Lock()
	for _, id := range fresh {
		in.work = append(in.work, byID[id])
	}
	in.notifyLocked()
	in.mu.Unlock()
	return next, nil
}

func (in *intake) worker() {
	for {
		t, item, ok := in.next()
		if !ok {
			return
		}
		in.b.answer(in.life, t, item)
		in.free(item)
		t.release(true)
	}
}

// next hands out the oldest update whose chat has no other update being
// handled, so a chat's answers are queued in the order it asked; false
// once stopping.
func (in *intake) next() (*ticket, taken, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for {
		if in.stopped {
			return nil, taken{}, false
		}
		i := slices.IndexFunc(in.work, func(t taken) bool { c := chatOf(t.u); return c == 0 || !in.busy[c] })
		if i >= 0 {
			item := in.work[i]
			in.work = slices.Delete(in.work, i, i+1)
			if c := chatOf(item.u); c != 0 {
				in.busy[c] = true
			}
			t := &ticket{id: item.id, item: item, age: max(in.b.cfg.Now().Sub(sentAt(item)), 0), life: in.life, open: 1, done: in.finish}
			in.pending[t] = true
			return t, item, true
		}
		ch := in.changed
		in.mu.Unlock()
		<-ch
		in.mu.Lock()
	}
}

// free lets the next update of item's chat be handled.
func (in *intake) free(item taken) {
	if c := chatOf(item.u); c != 0 {
		in.mu.Lock()
		delete(in.busy, c)
		in.notifyLocked()
		in.mu.Unlock()
	}
}

// chatOf is the chat an update's answer goes to; 0 when none is known.
func chatOf(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.ChannelPost != nil && u.ChannelPost.Chat != nil:
		return u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// sentAt is when the user sent the update: Telegram's date, or when it was
// kept for what has none (a button press).
func sentAt(t taken) time.Time {
	var date int
	switch u := t.u; {
	case u.Message != nil:
		date = u.Message.Date
	case u.ChannelPost != nil:
		date = u.ChannelPost.Date
	case u.MyChatMember != nil:
		date = u.MyChatMember.Date
	}
	if date > 0 {
		return time.Unix(int64(date), 0)
	}
	return t.at
}

// finish is a ticket's end: the update answered, or its answer not sent,
// to be tried again later in this run or after the next start.
func (in *intake) finish(t *ticket, answered bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.pending, t)
	in.notifyLocked()
	if answered {
		in.answered = append(in.answered, t.id)
		in.total++
		select {
		case in.wake <- struct{}{}:
		default:
		}
		return
	}
	if in.stopped {
		return
	}
	item := t.item
	item.tries++
	if item.tries >= maxTries {
		in.b.log.Warn("telegram: answer not sent; the question waits for the next start", "update", item.id, "tries", item.tries)
		return
	}
	time.AfterFunc(time.Duration(item.tries)*retryAfter, func() {
		in.mu.Lock()
		defer in.mu.Unlock()
		if !in.stopped {
			in.work = append(in.work, item)
			in.notifyLocked()
		}
	})
}

// drain keeps answering for up to d, then hands out no more work and gives
// up on the answers not sent: those updates stay unanswered in the inbox.
// It returns how many were answered meanwhile and how many are left.
func (in *intake) drain(d time.Duration) (answered, left int) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	in.mu.Lock()
	before := in.total
wait:
	for len(in.pending)+len(in.work) > 0 {
		ch := in.changed
		in.mu.Unlock()
		select {
		case <-ch:
			in.mu.Lock()
		case <-timer.C:
			in.mu.Lock()
			break wait
		}
	}
	in.stopped = true
	in.notifyLocked()
	open := slices.Collect(maps.Keys(in.pending))
	answered, left = in.total-before, len(in.pending)+len(in.work)
	in.mu.Unlock()
	for _, t := range open {
		t.close(in.b.queue)
	}
	return answered, left
}

// wait waits for the workers to return.
func (in *intake) wait() { in.workers.Wait() }

func (in *intake) recordLoop() {
	defer close(in.recDone)
	for {
		select {
		case <-in.wake:
			in.flush()
		case <-in.quit:
			return
		}
	}
}

// record stops the recorder and records what is left.
func (in *intake) record() {
	if in.recDone != nil {
		close(in.quit)
		<-in.recDone
	}
	in.flush()
}

// recordTimeout bounds one write of answered marks.
const recordTimeout = 5 * time.Second

// flush marks the answered updates in the inbox, in one write.
func (in *intake) flush() {
	in.mu.Lock()
	ids := in.answered
	in.answered = nil
	in.mu.Unlock()
	if len(ids) == 0 || in.source == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
	defer cancel()
	if err := in.b.cfg.Inbox.AnswerInbound(ctx, in.source, ids...); err != nil {
		// Kept for the next write (a busy or full disk frees up); only if
		// the process stops first can a restart answer them again.
		in.mu.Lock()
		in.answered = append(ids, in.answered...)
		in.mu.Unlock()
		in.b.log.Error("telegram: answered updates not recorded yet; kept for the next write", "count", len(ids), "err", err)
	}
}

// ticket follows one update from the worker that takes it until every
// message its answer queued is sent or has failed for good. An update
// whose answer was cancelled or cut short by a stop is not answered: it
// stays in the inbox for the next start.
type ticket struct {
	id   int64
	item taken
	age  time.Duration   // how old the update was when taken up
	life context.Context // ends when a stop cuts calls short
	done func(t *ticket, answered bool)

	mu     sync.Mutex
	open   int  // the handler, until it returns, plus each job not finished
	unsent bool // a job was cancelled or cut short
	closed bool // a stop gave up on it
	noted  bool // the answer already says the question is late
	jobs   []*job
}

type ticketKey struct{}

func withTicket(ctx context.Context, t *ticket) context.Context {
	return context.WithValue(ctx, ticketKey{}, t)
}

// ticketOf returns the ticket of the update handled under ctx; nil for
// sends that answer no update (posts).
func ticketOf(ctx context.Context) *ticket {
	t, _ := ctx.Value(ticketKey{}).(*ticket)
	return t
}

// track makes j part of the answer; false (queue nothing) once closed.
func (t *ticket) track(j *job) bool {
	t.mu.Lock()
	if t.closed {
		t.unsent = true
		t.mu.Unlock()
		return false
	}
	t.open++
	t.jobs = append(t.jobs, j)
	t.mu.Unlock()
	prev := j.done
	j.done = func(ids []int, err error) {
		if prev != nil {
			prev(ids, err)
		}
		t.release(err == nil || refused(err) && t.life.Err() == nil)
	}
	return true
}

// refused reports whether Telegram refused a send for good (the chat
// blocked the bot, the message was rejected): the question is over. Other
// failures (network, 5xx, flood control, a refused token, a stop) leave it
// unanswered for the next start.
func refused(err error) bool {
	var se *sendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Kind {
	case kindBlocked, kindMigrated:
		return true
	case kindRejected:
		return se.Code != http.StatusUnauthorized
	}
	return false
}

func (t *ticket) release(sent bool) {
	t.mu.Lock()
	if !sent {
		t.unsent = true
	}
	t.open--
	last, answered := t.open == 0, !t.unsent
	t.mu.Unlock()
	if last {
		t.done(t, answered)
	}
}

// close gives up on the answer: jobs not started are cancelled (a part
// being sent still counts when it goes through), and the handler, if still
// running, queues nothing more.
func (t *ticket) close(q *queue) {
	t.mu.Lock()
	t.closed = true
	jobs := slices.Clone(t.jobs)
	t.mu.Unlock()
	for _, j := range jobs {
		q.cancel(j)
	}
}

func (t *ticket) late() bool { return t != nil && t.age >= lateAfter }

// lateNote adds to a late question's answer how old the question is.
func (t *ticket) lateNote(r reply.Reply, w i18n.Printer) reply.Reply {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.age < lateAfter || t.noted {
		return r
	}
	t.noted = true
	note := w.T("telegram.late", "Age", formatAge(t.age))
	if r.Note != "" {
		note = r.Note + "\n" + note
	}
	r.Note = note
	return r
}

// formatAge writes a question's age the same way in English and French:
// "7 min", "3 h", "3 h 5 min".
func formatAge(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", max(m, 1))
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// answer handles one update under its ticket, unless it is too old.
func (b *Bot) answer(ctx context.Context, t *ticket, item taken) {
	if item.bad != nil {
		b.log.Warn("telegram: unreadable update skipped", "update", item.id, "err", item.bad)
		return
	}
	if t.age > staleAfter && item.u.MyChatMember == nil {
		b.log.Info("telegram: update too old to answer; dropped", "update", item.id, "age", formatAge(t.age))
		return
	}
	ctx, cancel := context.WithTimeout(withTicket(ctx, t), handlerTimeout)
	defer cancel()
	b.handleUpdate(ctx, item.u)
}

// memInbox is the Inbox when none is configured: memory only.
type memInbox struct {
	mu sync.Mutex
	m  map[string]map[int64]*memInbound
}

type memInbound struct {
	in       domain.Inbound
	answered bool
}

func (m *memInbox) KeepInbound(_ context.Context, source string, confirmed int64, in []domain.Inbound) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]map[int64]*memInbound{}
	}
	s := m.m[source]
	if s == nil {
		s = map[int64]*memInbound{}
		m.m[source] = s
	}
	for id, e := range s {
		if id < confirmed && e.answered {
			delete(s, id)
		}
	}
	var fresh []int64
	for _, u := range in {
		if _, ok := s[u.ID]; !ok {
			s[u.ID] = &memInbound{in: u}
			fresh = append(fresh, u.ID)
		}
	}
	return fresh, nil
}

func (m *memInbox) AnswerInbound(_ context.Context, source string, ids ...int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if e := m.m[source][id]; e != nil {
			e.answered = true
		}
	}
	return nil
}

func (m *memInbox) WaitingInbound(_ context.Context, source string) ([]domain.Inbound, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []domain.Inbound
	for _, e := range m.m[source] {
		if !e.answered {
			out = append(out, e.in)
		}
	}
	slices.SortFunc(out, func(a, b domain.Inbound) int { return int(a.ID - b.ID) })
	return out, nil
}
