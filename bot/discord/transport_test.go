package discord

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestRewriteTransport(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.Host+" "+r.URL.RequestURI())
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	api, err := parseAPIURL(srv.URL + "/proxy/api/v9")
	if err != nil {
		t.Fatal(err)
	}
	c := httpClient(nil, api)
	for _, u := range []string{
		discordgo.EndpointGateway,
		discordgo.EndpointInteractionResponse("1", "tok"),
		discordgo.EndpointWebhookMessage("2", "tok", "@original") + "?wait=true",
	} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	want := []string{
		"GET " + host + " /proxy/api/v9/gateway",
		"GET " + host + " /proxy/api/v9/interactions/1/tok/callback",
		"GET " + host + " /proxy/api/v9/webhooks/2/tok/messages/@original?wait=true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if discordgo.EndpointAPI != DefaultAPIURL {
		t.Fatalf("discordgo globals changed: %q", discordgo.EndpointAPI)
	}
}

func TestParseAPIURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                             DefaultAPIURL,
		"https://discord.com/api/v9/":  "https://discord.com/api/v9/",
		"http://127.0.0.1:8080/api/v9": "http://127.0.0.1:8080/api/v9/",
	} {
		u, err := parseAPIURL(in)
		if err != nil || u.String() != want {
			t.Errorf("parseAPIURL(%q) = %v, %v; want %q", in, u, err, want)
		}
	}
	for _, bad := range []string{"discord.com/api", "ftp://x/", "http:///x", "https://u:p@x/", "https://x/?a=1"} {
		if _, err := parseAPIURL(bad); err == nil {
			t.Errorf("parseAPIURL(%q): want an error", bad)
		}
	}
}

func TestDefaultClientDoesNotRewrite(t *testing.T) {
	api, _ := parseAPIURL("")
	if _, ok := httpClient(nil, api).Transport.(*rewriteTransport); ok {
		t.Fatal("no rewrite expected for the default API URL")
	}
}
