package release

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// server answers with version and fails every n-th request (0: never).
func server(t *testing.T, version string, failEvery int64) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if version != "" {
			w.Header().Set(VersionHeader, version)
		}
		if failEvery > 0 && n%failEvery == 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(`{"status":"UP"}`))
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

func TestCheckerJudgesErrorRates(t *testing.T) {
	for _, tt := range []struct {
		name      string
		failEvery int64
		version   string
		want      []string
		ok        bool
		msg       string
	}{
		{"healthy", 0, "1.5.0", []string{"1.5.0"}, true, ""},
		{"one failure in 50 is within 2%", 50, "1.5.0", []string{"1.5.0"}, true, ""},
		// The defect a first-2xx prober never saw: 10% of requests failing.
		{"10% failing", 10, "1.5.0", []string{"1.5.0"}, false, "requests failed, more than 2.0%"},
		{"the old version answers", 0, "1.4.2", []string{"1.5.0"}, false, `answered by version "1.4.2", want version "1.5.0"`},
		{"no version header", 0, "", []string{"1.5.0"}, false, "an answer without the X-App-Version header"},
		{"either version during a canary", 0, "1.4.2", []string{"1.4.2", "1.5.0"}, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := server(t, tt.version, tt.failEvery)
			c := &Checker{Client: s.Client()}
			sample, err := c.Check(context.Background(), s.URL+"/api/health", tt.want...)
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v (sample %s), want ok=%v", err, sample, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
		})
	}
}

// TestCheckerFailsNineInTen: a version answering 500 to 9 of 10 requests fails, and the check
// stops after a few requests instead of sending the whole sample to a broken version.
func TestCheckerFailsNineInTen(t *testing.T) {
	var hits atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(VersionHeader, "1.5.0")
		if hits.Add(1)%10 != 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
	}))
	defer s.Close()
	c := &Checker{Client: s.Client(), Samples: 50, Concurrency: 1}
	sample, err := c.Check(context.Background(), s.URL, "1.5.0")
	if err == nil {
		t.Fatalf("a version failing 9 of 10 requests passed: %s", sample)
	}
	// One failure is allowed in 50; the second ends the check.
	if sample.Sent > 3 || hits.Load() > 3 {
		t.Errorf("sent %d requests (%d reached the server) to a broken version; the verdict was certain after 2 failures", sample.Sent, hits.Load())
	}
}

func TestCheckerSendsTheHeader(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Webstack-Release-Check") != "s3cret" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		w.Header().Set(VersionHeader, "2.0.0")
	}))
	defer s.Close()
	c := &Checker{Client: s.Client(), Samples: 5, Header: http.Header{"X-Webstack-Release-Check": {"s3cret"}}}
	if _, err := c.Check(context.Background(), s.URL, "2.0.0"); err != nil {
		t.Fatal(err)
	}
}
