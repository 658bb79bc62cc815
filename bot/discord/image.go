package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/reply"
)

// Discord's limits on attachments (docs: reference#uploading-files).
const (
	maxAttachmentAlt = 1024     // an attachment's description
	maxUpload        = 10 << 20 // what any bot may upload; charts are ~50 KB
)

// fileName keeps what Discord allows in an attachment:// name.
var fileName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// withImage shows a picture in the embed: the file goes with the answer
// and the embed's image points at it (attachment://name).
func withImage(m *message, img *reply.Image) {
	if img == nil || len(img.Data) == 0 || len(img.Data) > maxUpload {
		return
	}
	name := fileName.ReplaceAllString(img.Name, "_")
	if name == "" {
		name = "chart.png"
	}
	m.Image = &reply.Image{Name: name, Type: img.Type, Data: img.Data, Alt: clip(oneLine(img.Alt), maxAttachmentAlt), Width: img.Width, Height: img.Height, Key: img.Key}
	m.Embed.Image = &discordgo.MessageEmbedImage{URL: "attachment://" + name, Width: img.Width, Height: img.Height}
}

// files are the uploads a message carries.
func (m message) files() []*discordgo.File {
	if m.Image == nil {
		return nil
	}
	return []*discordgo.File{{Name: m.Image.Name, ContentType: m.Image.Type, Reader: &described{Reader: bytes.NewReader(m.Image.Data), alt: m.Image.Alt}}}
}

// described is a file's bytes and its alt text, which discordgo.File has no
// field for: it travels with the file to respondWithFiles.
type described struct {
	*bytes.Reader
	alt string
}

// attachment is an upload's entry in the JSON part of a multipart request:
// its index among the files, its name and its alt text.
type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

// respondWithFiles posts a callback whose message carries files, as
// multipart/form-data: payload_json (the callback, with data.attachments
// giving each file's alt text) and files[n]. discordgo's
// InteractionRespond sends the files the same way but has no field for
// their descriptions.
func (b *Bot) respondWithFiles(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	raw, err := json.Marshal(resp)
	if err != nil {
		return err
	}
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		return err
	}
	var list []attachment
	for n, f := range resp.Data.Files {
		a := attachment{ID: n, Filename: f.Name}
		if d, ok := f.Reader.(*described); ok {
			a.Description = d.alt
		}
		list = append(list, a)
	}
	if data, ok := payload["data"].(map[string]any); ok {
		data["attachments"] = list
	}
	contentType, body, err := discordgo.MultipartBodyWithJSON(payload, resp.Data.Files)
	if err != nil {
		return err
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err = b.rest.RequestRaw("POST", endpoint, contentType, body, endpoint, 0, discordgo.WithContext(ctx))
	return err
}
