package fakediscord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// File is an upload that came with a request (multipart/form-data).
type File struct {
	Field       string // "files[0]"
	Name        string // its filename
	ContentType string
	Data        []byte
}

// Discord's limits on uploads (docs: reference#uploading-files).
const (
	MaxFiles         = 10
	MaxUploadBytes   = 10 << 20 // all files of one message, for a bot without boosts
	MaxAttachmentAlt = 1024
)

var filesField = regexp.MustCompile(`^files\[(\d+)\]$`)

// payloadOf returns a request's JSON and its files. A JSON body is the
// payload; a multipart body must carry payload_json and files[n] parts,
// and is checked as Discord checks it: at most 10 files within the upload
// limit, every data.attachments entry naming an uploaded files[n] by the
// same filename with alt text of at most 1,024 characters, and every
// attachment:// URL in the embeds naming an uploaded file.
func payloadOf(contentType string, body []byte) ([]byte, []File, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return body, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload []byte
	var files []File
	total := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, err
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = data
		case filesField.MatchString(name):
			if part.FileName() == "" {
				return nil, nil, fmt.Errorf("%s has no filename", name)
			}
			total += len(data)
			files = append(files, File{Field: name, Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
		default:
			return nil, nil, fmt.Errorf("unexpected form part %q", name)
		}
	}
	switch {
	case payload == nil:
		return nil, nil, errors.New("no payload_json part")
	case len(files) == 0:
		return nil, nil, errors.New("multipart without files")
	case len(files) > MaxFiles:
		return nil, nil, fmt.Errorf("%d files, more than %d", len(files), MaxFiles)
	case total > MaxUploadBytes:
		return nil, nil, fmt.Errorf("request entity too large: %d bytes", total)
	}
	for _, f := range files {
		if len(f.Data) == 0 {
			return nil, nil, fmt.Errorf("%s is empty", f.Field)
		}
	}
	if err := checkAttachments(payload, files); err != nil {
		return nil, nil, err
	}
	return payload, files, nil
}

// checkAttachments checks a multipart payload's attachments and the
// attachment:// URLs of its embeds against the uploaded files.
func checkAttachments(payload []byte, files []File) error {
	var msg struct {
		Data *struct {
			Embeds      []embedImages `json:"embeds"`
			Attachments []attachment  `json:"attachments"`
		} `json:"data"`
		Embeds      []embedImages `json:"embeds"`
		Attachments []attachment  `json:"attachments"`
	}
	if err := json.Unmarshal(payload, &msg); err != nil {
		return fmt.Errorf("payload_json: %w", err)
	}
	embeds, atts := msg.Embeds, msg.Attachments
	if msg.Data != nil {
		embeds, atts = msg.Data.Embeds, msg.Data.Attachments
	}
	byIndex := map[int]File{}
	names := map[string]bool{}
	for _, f := range files {
		n, _ := strconv.Atoi(filesField.FindStringSubmatch(f.Field)[1])
		byIndex[n] = f
		names[f.Name] = true
	}
	for _, a := range atts {
		f, ok := byIndex[a.ID]
		if !ok {
			return fmt.Errorf("attachments: id %d has no files[%d]", a.ID, a.ID)
		}
		if a.Filename != "" && a.Filename != f.Name {
			return fmt.Errorf("attachments: id %d is %q, files[%d] is %q", a.ID, a.Filename, a.ID, f.Name)
		}
		if len(utf16.Encode([]rune(a.Description))) > MaxAttachmentAlt {
			return fmt.Errorf("attachments: description of %q longer than %d", f.Name, MaxAttachmentAlt)
		}
	}
	for _, e := range embeds {
		for _, img := range []*urlOf{e.Image, e.Thumbnail} {
			if img == nil {
				continue
			}
			if name, ok := strings.CutPrefix(img.URL, "attachment://"); ok && !names[name] {
				return fmt.Errorf("embed image %q names no uploaded file", img.URL)
			}
		}
	}
	return nil
}

type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description"`
}

type urlOf struct {
	URL string `json:"url"`
}

type embedImages struct {
	Image     *urlOf `json:"image"`
	Thumbnail *urlOf `json:"thumbnail"`
}
