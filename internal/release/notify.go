package release

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Notifier receives each release's start, steps, result and any rollback, e.g. for a chat
// channel. A notifier that fails never fails the release.
type Notifier interface {
	Notify(ctx context.Context, message string) error
}

// Webhook posts each message to an incoming-webhook URL as JSON that Slack ("text") and
// Discord ("content") both read.
type Webhook struct {
	// URL is the incoming webhook. Required.
	URL string
	// Client sends the requests. Optional. Defaults to a client with a 10 s timeout.
	Client *http.Client
}

// ParseWebhook checks a webhook URL: https, with a host.
func ParseWebhook(raw string) (*Webhook, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		// The URL is a credential: never echo it.
		return nil, fmt.Errorf("the release webhook is not an https URL")
	}
	return &Webhook{URL: raw}, nil
}

// Notify posts one message.
func (w *Webhook) Notify(ctx context.Context, message string) error {
	body, err := json.Marshal(map[string]string{"text": message, "content": message})
	if err != nil {
		return err
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("release webhook: %v", redact(err, w.URL))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("release webhook: %v", redact(err, w.URL))
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("release webhook answered %s", resp.Status)
	}
	return nil
}

// redact removes the webhook's URL (a credential) from an error's text.
func redact(err error, secret string) string {
	return string(bytes.ReplaceAll([]byte(err.Error()), []byte(secret), []byte("[webhook URL]")))
}
