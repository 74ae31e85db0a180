package release

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// fakeStack keeps a config and the config of the last successful up, and fails up where a
// test says so.
type fakeStack struct {
	name     string
	cfg      App
	deployed App
	// upErr decides whether an up of cfg fails. Optional.
	upErr  func(cfg App, n int) error
	setErr error
	ups    int
	sets   int
	events []string
}

func newFake(app App) *fakeStack {
	return &fakeStack{name: "prod", cfg: app, deployed: app}
}

func (f *fakeStack) Name() string { return f.name }

func (f *fakeStack) App(context.Context) (App, error) { return f.cfg, nil }

func (f *fakeStack) SetApp(_ context.Context, a App) error {
	f.sets++
	if f.setErr != nil {
		return f.setErr
	}
	f.cfg = a
	f.events = append(f.events, "set "+Describe(a))
	return nil
}

func (f *fakeStack) Up(ctx context.Context) error {
	f.ups++
	if err := ctx.Err(); err != nil { // the real engine stops on a cancelled context too
		return err
	}
	if f.upErr != nil {
		if err := f.upErr(f.cfg, f.ups); err != nil {
			f.events = append(f.events, "up failed")
			return err
		}
	}
	f.deployed = f.cfg
	f.events = append(f.events, "up ok")
	return nil
}

func (f *fakeStack) Outputs(context.Context) (Outputs, error) {
	d := f.deployed
	return Outputs{
		OutActiveColor:  string(d.Active),
		OutIdleColor:    string(d.Idle()),
		OutBlueVersion:  d.Blue.Version,
		OutGreenVersion: d.Green.Version,
		OutTestURL:      "http://alb.example:9000",
		OutAPIURL:       "https://site.example/api",
	}, nil
}

const (
	testURL = "http://alb.example:9000/actuator/health"
	prodURL = "https://site.example/api/actuator/health"
)

// fakeProber answers from fail, which may look at the stack's deployed config.
type fakeProber struct {
	mu    sync.Mutex
	calls []string
	fail  func(url string) error
}

func (p *fakeProber) Probe(_ context.Context, url string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, url)
	if p.fail != nil {
		return p.fail(url)
	}
	return nil
}

// fakeClock advances only when the releaser sleeps, plus a millisecond per reading.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time {
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return nil
}

// liveBlue is blue serving 1.4.2 on 2/2/4, green empty: the usual state before a release.
func liveBlue() App {
	a, err := ParseApp([]byte(`{
		"port": 8080, "healthCheckPath": "/actuator/health", "instanceType": "t4g.small",
		"activeColor": "blue", "canaryWeight": 0, "testListenerPort": 9000,
		"testListenerCidrs": ["203.0.113.0/24"], "deregistrationDelay": 30,
		"blue": {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 0, "desiredCapacity": 0, "maxSize": 4}}`))
	if err != nil {
		panic(err)
	}
	return a
}

type harness struct {
	stack *fakeStack
	probe *fakeProber
	out   *strings.Builder
	r     *Releaser
}

func newHarness(app App) *harness {
	h := &harness{stack: newFake(app), probe: &fakeProber{}, out: &strings.Builder{}}
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	h.r = &Releaser{Stack: h.stack, Probe: h.probe, Out: h.out, Now: clock.Now, Sleep: clock.Sleep, BakeInterval: 10 * time.Second}
	return h
}

var errUnhealthy = errors.New("0 of 2 instances passed the health check")

func failWhen(pred func(App) bool, err error) func(App, int) error {
	return func(a App, _ int) error {
		if pred(a) {
			return err
		}
		return nil
	}
}

func lockedErr() error {
	return fmt.Errorf("pulumi up: %w: [409] Conflict: Another update is currently in progress", ErrConcurrentUpdate)
}
