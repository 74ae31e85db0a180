package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// VersionHeader is the response header in which the application reports the version it runs.
// The fleet gives the container its version as APP_VERSION; the application's contract is to
// answer every request to the release check path with `X-App-Version: $APP_VERSION`
// (docs/compute.md, "The application's contract"), so that a check can tell which version
// answered, never just that something did.
const VersionHeader = "X-App-Version"

// Checker judges a version by a sample of requests: how many failed, and which versions
// answered. It is the one measure the smoke test, each canary step and the production check
// share.
type Checker struct {
	// Client sends the requests. Optional. Defaults to a client with a 10 s timeout.
	Client *http.Client
	// Samples is how many requests a check sends. Optional. Defaults to 50.
	Samples int
	// MaxErrorRate is the share of failed requests (0 to 1) a check tolerates. Optional.
	// Defaults to 0.02: one failure in 50.
	MaxErrorRate float64
	// Concurrency is how many requests are in flight at once. Optional. Defaults to 5.
	Concurrency int
	// Header is sent with every request (e.g. the secret that routes a request to the idle
	// color). Optional.
	Header http.Header
}

// Sample is the outcome of one check.
type Sample struct {
	URL      string
	Sent     int
	Failed   int
	Versions map[string]int // answers by version reported in VersionHeader ("" when absent)
	// FirstFailure describes the first failed request.
	FirstFailure string
	Elapsed      time.Duration
}

// ErrorRate is Failed / Sent.
func (s *Sample) ErrorRate() float64 {
	if s.Sent == 0 {
		return 0
	}
	return float64(s.Failed) / float64(s.Sent)
}

// String summarizes the sample for progress messages.
func (s *Sample) String() string {
	var vs []string
	for v, n := range s.Versions {
		if v == "" {
			v = "no version header"
		}
		vs = append(vs, fmt.Sprintf("%s×%d", v, n))
	}
	sort.Strings(vs)
	return fmt.Sprintf("%d requests, %d failed (%.1f%%), answered by %s, in %s",
		s.Sent, s.Failed, 100*s.ErrorRate(), strings.Join(vs, ", "), s.Elapsed.Round(time.Millisecond))
}

func (c *Checker) defaults() (client *http.Client, samples, concurrency int, maxRate float64) {
	client, samples, concurrency, maxRate = c.Client, c.Samples, c.Concurrency, c.MaxErrorRate
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if samples <= 0 {
		samples = 50
	}
	if concurrency <= 0 {
		concurrency = 5
	}
	if maxRate <= 0 {
		maxRate = 0.02
	}
	return
}

// allowedFailures is the most failures a sample of n may have and still pass.
func allowedFailures(n int, rate float64) int { return int(float64(n) * rate) }

// Check sends the sample to url and judges it: it fails when more requests failed than the
// error rate allows, or when an answer came from a version not in want (a successful answer
// without the version header counts as from an unknown version). It stops as soon as the
// verdict is certain, so that a broken version gets only a handful of requests, never enough
// to page through the load balancer's 5XX alarm.
func (c *Checker) Check(ctx context.Context, url string, want ...string) (*Sample, error) {
	client, samples, concurrency, maxRate := c.defaults()
	allowed := allowedFailures(samples, maxRate)
	s := &Sample{URL: url, Versions: map[string]int{}}
	start := time.Now()
	defer func() { s.Elapsed = time.Since(start) }()

	type answer struct {
		version string
		err     error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan struct{})
	answers := make(chan answer)
	for range concurrency {
		go func() {
			for range jobs {
				v, err := c.one(ctx, client, url)
				select {
				case answers <- answer{v, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for range samples {
			select {
			case jobs <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	wrong, wrongSeen := "", false
	for s.Sent < samples {
		var a answer
		select {
		case a = <-answers:
		case <-ctx.Done():
			return s, ctx.Err()
		}
		s.Sent++
		if a.err != nil {
			s.Failed++
			if s.FirstFailure == "" {
				s.FirstFailure = a.err.Error()
			}
		} else {
			s.Versions[a.version]++
			if len(want) > 0 && !contains(want, a.version) && !wrongSeen {
				wrong, wrongSeen = a.version, true
			}
		}
		if s.Failed > allowed || wrongSeen {
			break
		}
	}
	cancel()
	switch {
	case wrongSeen:
		return s, fmt.Errorf("GET %s: %s, want version %s (%s)", url, answeredBy(wrong), strings.Join(quoteAll(want), " or "), s)
	case s.Failed > allowed:
		return s, fmt.Errorf("GET %s: %d of %d requests failed, more than %.1f%% (first: %s)", url, s.Failed, s.Sent, 100*maxRate, s.FirstFailure)
	}
	return s, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func answeredBy(v string) string {
	if v == "" {
		return "an answer without the " + VersionHeader + " header"
	}
	return fmt.Sprintf("answered by version %q", v)
}

func quoteAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// one sends one request: a 2xx answer is a success, reporting the version it came from.
func (c *Checker) one(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("status %s", resp.Status)
	}
	return resp.Header.Get(VersionHeader), nil
}
