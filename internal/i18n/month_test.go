package i18n

import (
	"testing"
	"time"
)

func TestMonthShort(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	feb := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	if got := c.Printer(EN).MonthShort(feb); got != "Feb 2026" {
		t.Errorf("en %q", got)
	}
	if got := c.Printer(FR).MonthShort(feb); got != "févr.\u00a02026" {
		t.Errorf("fr %q", got)
	}
}
