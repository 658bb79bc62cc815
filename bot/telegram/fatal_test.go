package telegram

import (
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// TestRevokedTokenStops: a token revoked while the bot runs stops Run with
// ErrFatal at the first 401, instead of retrying forever; Run logs nothing
// of it itself (the caller logs the error once). The test runs in a
// synctest bubble: a retry loop would show in the bubble's clock.
func TestRevokedTokenStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startMem(t, nil, nil)
		h.ask(faketelegram.PrivateChat(alice), alice, "/cutoff healthcare")
		h.srv.RevokeToken()
		var err error
		select {
		case err = <-h.done:
			h.cancel = nil
		case <-time.After(time.Hour):
			t.Fatalf("Run still running an hour after the token was revoked:\n%s", h.logs)
		}
		if !errors.Is(err, ErrFatal) || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
			t.Fatalf("Run = %v, want ErrFatal naming the 401 and TELEGRAM_BOT_TOKEN", err)
		}
		if strings.Contains(err.Error(), h.srv.Token()) || strings.Contains(h.logs.String(), h.srv.Token()) {
			t.Error("the token leaked")
		}
		polls := h.srv.Polls()
		time.Sleep(10 * time.Minute)
		synctest.Wait()
		if n := h.srv.Polls(); n != polls {
			t.Errorf("%d more getUpdates after Run returned", n-polls)
		}
		if l := h.logs.String(); strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			t.Errorf("Run logged the failure itself:\n%s", l)
		}
		// Posts are refused at once, not queued for a bot that is gone.
		if _, err := h.bot.Post(t.Context(), group.ID, note(1)); !errors.Is(err, errStopping) {
			t.Errorf("Post after a fatal stop = %v, want errStopping", err)
		}
	})
}
