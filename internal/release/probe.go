package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Prober checks that a URL answers healthily, retrying until its own deadline.
type Prober interface {
	Probe(ctx context.Context, url string) error
}

// HTTPProber sends GET requests until one answers 2xx or Timeout has passed.
type HTTPProber struct {
	// Client sends the requests. Optional. Defaults to a client with a 5 s timeout.
	Client *http.Client
	// Timeout bounds all attempts together. Optional. Defaults to 2 minutes.
	Timeout time.Duration
	// Interval is the pause between attempts. Optional. Defaults to 3 s.
	Interval time.Duration
}

// Probe returns nil on the first 2xx answer, or an error describing the last failure once the
// deadline has passed.
func (p HTTPProber) Probe(ctx context.Context, url string) error {
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	timeout, interval := p.Timeout, p.Interval
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	if interval <= 0 {
		interval = 3 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	attempts := 0
	var last error
	for {
		attempts++
		err := get(ctx, client, url)
		if err == nil {
			return nil
		}
		// An attempt cut short by the deadline says less than the answer before it.
		if last == nil || ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("GET %s: no healthy answer in %s (%d attempts), last: %w", url, timeout, attempts, last)
		case <-time.After(interval):
		}
	}
}

func get(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}
