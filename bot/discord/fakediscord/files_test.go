package fakediscord

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"
)

// multipartBody builds a body as discordgo does: payload_json, then files[n].
func multipartBody(t *testing.T, payload string, files map[string]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	p, _ := w.CreatePart(h)
	p.Write([]byte(payload))
	for field, name := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+name+`"`)
		h.Set("Content-Type", "image/png")
		p, _ := w.CreatePart(h)
		p.Write([]byte("png bytes"))
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func TestPayloadOf(t *testing.T) {
	ok := `{"type":4,"data":{"embeds":[{"image":{"url":"attachment://a.png"}}],"attachments":[{"id":0,"filename":"a.png","description":"alt"}]}}`
	for _, tc := range []struct {
		name, payload string
		files         map[string]string
		err           string
	}{
		{"valid", ok, map[string]string{"files[0]": "a.png"}, ""},
		{"no file", ok, nil, "without files"},
		{"embed names another file", ok, map[string]string{"files[0]": "b.png"}, "attachments: id 0 is"},
		{"attachment without its file", strings.Replace(ok, `"id":0`, `"id":1`, 1), map[string]string{"files[0]": "a.png"}, "has no files[1]"},
		{"alt too long", strings.Replace(ok, `"alt"`, `"`+strings.Repeat("x", 1025)+`"`, 1), map[string]string{"files[0]": "a.png"}, "longer than 1024"},
		{"image of no file", `{"type":4,"data":{"embeds":[{"image":{"url":"attachment://c.png"}}]}}`, map[string]string{"files[0]": "a.png"}, "names no uploaded file"},
		{"bad json", `{`, map[string]string{"files[0]": "a.png"}, "payload_json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := multipartBody(t, tc.payload, tc.files)
			payload, files, err := payloadOf(ct, body)
			if tc.err == "" {
				if err != nil || string(payload) != tc.payload || len(files) != 1 || files[0].Name != "a.png" || string(files[0].Data) != "png bytes" {
					t.Errorf("%v %q %+v", err, payload, files)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
	if p, files, err := payloadOf("application/json", []byte(`{"type":4}`)); err != nil || string(p) != `{"type":4}` || files != nil {
		t.Errorf("json body: %v %q", err, p)
	}
}
