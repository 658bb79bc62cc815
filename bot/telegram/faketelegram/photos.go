package faketelegram

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // Telegram takes JPEG photos too
	_ "image/png"
	"io"
	"net/http"
)

// Telegram's limits on photos (Bot API: sendPhoto).
const (
	MaxCaption    = 1024     // characters after entity parsing
	MaxPhotoBytes = 10 << 20 // an uploaded photo
	maxPhotoSides = 10000    // width + height
	maxPhotoRatio = 20
)

// PhotoSize is one size of a sent photo, as Telegram returns it.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// photoMessage is a sent photo message as the fake returns it.
type photoMessage struct {
	Message
	Photo   []PhotoSize `json:"photo"`
	Caption string      `json:"caption,omitempty"`
}

// storedPhoto is an uploaded photo the fake can send again by file_id.
type storedPhoto struct {
	data  []byte
	sizes []PhotoSize
}

// sendPhoto takes a photo uploaded as multipart/form-data (the "photo"
// file part) or named by a file_id an earlier sendPhoto returned, and
// checks it as Telegram does: a decodable image within the size limits,
// a caption of at most 1,024 characters after entity parsing, valid
// markup. It answers with the message and the photo's sizes, whose
// file_ids it accepts afterwards.
func (s *Server) sendPhoto(r *http.Request) (any, *apiError) {
	c := newCall("sendPhoto", r)
	c.Text = r.PostForm.Get("caption")
	var upload []byte
	if r.MultipartForm != nil {
		if fs := r.MultipartForm.File["photo"]; len(fs) == 1 {
			f, err := fs[0].Open()
			if err == nil {
				upload, err = io.ReadAll(f)
				f.Close()
			}
			if err != nil {
				return nil, s.reject(c, badRequest("can't read the photo"))
			}
		}
	}
	byID := r.PostForm.Get("photo")
	if e := s.hangIfAsked(r, c.ChatID); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	lost := s.faultLocked(c)
	if lost != nil && !lost.delivered {
		return nil, s.rejectLocked(c, lost)
	}
	if c.ChatID == 0 {
		return nil, s.rejectLocked(c, badRequest("chat_id is empty"))
	}
	var sizes []PhotoSize
	switch {
	case upload != nil:
		if len(upload) > MaxPhotoBytes {
			return nil, s.rejectLocked(c, &apiError{code: 413, desc: "Request Entity Too Large"})
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(upload))
		if err != nil {
			return nil, s.rejectLocked(c, badRequest("IMAGE_PROCESS_FAILED"))
		}
		if _, _, err := image.Decode(bytes.NewReader(upload)); err != nil {
			return nil, s.rejectLocked(c, badRequest("IMAGE_PROCESS_FAILED"))
		}
		w, h := cfg.Width, cfg.Height
		if w+h > maxPhotoSides || w > h*maxPhotoRatio || h > w*maxPhotoRatio {
			return nil, s.rejectLocked(c, badRequest("PHOTO_INVALID_DIMENSIONS"))
		}
		s.photoSeq++
		id := fmt.Sprintf("AgACAgFake%06d", s.photoSeq)
		sizes = []PhotoSize{
			{FileID: id + "_s", FileUniqueID: id + "s", Width: w * 90 / max(w, h), Height: h * 90 / max(w, h)},
			{FileID: id, FileUniqueID: id + "x", Width: w, Height: h, FileSize: len(upload)},
		}
		if s.photos == nil {
			s.photos = map[string]*storedPhoto{}
		}
		p := &storedPhoto{data: upload, sizes: sizes}
		for _, sz := range sizes {
			s.photos[sz.FileID] = p
		}
		c.Photo = upload
	case byID != "":
		p, ok := s.photos[byID]
		if !ok {
			return nil, s.rejectLocked(c, badRequest("wrong file identifier/HTTP URL specified"))
		}
		sizes, c.FileID, c.Photo = p.sizes, byID, p.data
	default:
		return nil, s.rejectLocked(c, badRequest("there is no photo in the request"))
	}
	if c.Text != "" {
		plain := c.Text
		if c.ParseMode == "HTML" {
			p, err := ParseHTML(c.Text)
			if err != nil {
				return nil, s.rejectLocked(c, badRequest("can't parse entities: %v", err))
			}
			plain = p
		} else if c.ParseMode != "" {
			return nil, s.rejectLocked(c, badRequest("unsupported parse_mode %q in this fake", c.ParseMode))
		}
		if utf16Len(plain) > MaxCaption {
			return nil, s.rejectLocked(c, badRequest("message caption is too long"))
		}
		c.Plain = plain
	}
	if c.ReplyMarkup != "" && c.ReplyMarkup != "null" {
		if e := checkKeyboard(c.ReplyMarkup); e != nil {
			return nil, s.rejectLocked(c, e)
		}
	}
	s.nextMsg++
	c.MessageID = s.nextMsg
	m := &storedMessage{Message: Message{MessageID: c.MessageID, From: &s.me, Chat: s.chatLocked(c.ChatID), Date: now()}, html: c.Text, markup: c.ReplyMarkup}
	s.storeLocked(c.ChatID, m)
	if lost != nil {
		c.Code, c.Description = lost.code, lost.desc
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
	if lost != nil {
		return nil, lost // delivered, then failed (Fault.Delivered)
	}
	return photoMessage{Message: m.Message, Photo: sizes, Caption: c.Plain}, nil
}

// reject is rejectLocked for callers not holding the lock.
func (s *Server) reject(c Call, e *apiError) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejectLocked(c, e)
}

// ForgetPhotos makes every file_id handed out so far unknown, as when
// Telegram no longer has a file: sending one is refused.
func (s *Server) ForgetPhotos() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.photos = nil
}
