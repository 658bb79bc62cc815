package discord

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs more tests at once than -parallel's default (GOMAXPROCS),
// unless -parallel is given: the tests here mostly wait rather than compute
// (discordgo sleeps a second in every gateway Close, and a harness stops its
// bot at the end of each test).
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}
