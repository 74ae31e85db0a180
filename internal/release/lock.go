package release

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/webstack/webstack/contract"
)

// LockTag is the stack tag that holds a release, rollback, retirement or `deploy up` across all
// of its steps. Pulumi's own lock lasts one update; a release is several, and a second
// operator's rollback between two of them would be undone by the next.
const LockTag = "webstack:release-lock"

// Lock is the value of LockTag: who holds the stack, for what, since when, and the release
// state deployed when the operation began (what `deploy recover` restores after a killed run).
type Lock struct {
	Holder string    `json:"holder"`
	Op     string    `json:"op"`
	Since  time.Time `json:"since"`
	Token  string    `json:"token"`
	Before *State    `json:"before,omitempty"`
}

// State is the release state of a stack: what only the release tool changes.
type State struct {
	Active       contract.Color `json:"activeColor"`
	CanaryWeight int            `json:"canaryWeight"`
	Blue         string         `json:"blueVersion"`
	Green        string         `json:"greenVersion"`
}

// State returns a's release state.
func (a App) State() State {
	return State{Active: a.Active, CanaryWeight: a.CanaryWeight, Blue: a.Blue.Version, Green: a.Green.Version}
}

// WithState returns a with the release state s; its sizes and every other setting stay a's.
func (a App) WithState(s State) App {
	a.Active, a.CanaryWeight = s.Active, s.CanaryWeight
	a.Blue.Version, a.Green.Version = s.Blue, s.Green
	return a
}

// ErrLocked is the error of an operation refused because another one holds the stack.
type ErrLocked struct {
	Stack string
	Lock  Lock
}

func (e *ErrLocked) Error() string {
	return fmt.Sprintf("stack %q is held by %s (%s, since %s): wait for it to finish; if that run was killed, clear the lock with `deploy unlock -s %s`",
		e.Stack, e.Lock.Holder, e.Lock.Op, e.Lock.Since.UTC().Format(time.RFC3339), e.Stack)
}

// readLock returns the lock on the stack, or nil.
func readLock(ctx context.Context, s Stack) (*Lock, error) {
	v, err := s.Tag(ctx, LockTag)
	if err != nil {
		return nil, fmt.Errorf("reading the release lock (stack tag %s): %w", LockTag, err)
	}
	if v == "" {
		return nil, nil
	}
	var l Lock
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return &Lock{Holder: "unknown (unreadable lock: " + v + ")", Op: "unknown"}, nil
	}
	return &l, nil
}

// held is a lock this process holds.
type held struct {
	stack Stack
	lock  Lock
}

// acquire takes the stack for op, or refuses with *ErrLocked. Stack tags cannot be compared
// and swapped, so it writes its own token, waits settle and reads it back: of two operators
// starting at the same moment, at most one reads its own token. Every update re-checks the
// token (verify), so that an operator who lost a slow race stops before changing anything.
func acquire(ctx context.Context, s Stack, holder, op string, now time.Time, settle func(context.Context) error) (*held, error) {
	if l, err := readLock(ctx, s); err != nil {
		return nil, err
	} else if l != nil {
		return nil, &ErrLocked{Stack: s.Name(), Lock: *l}
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	h := &held{stack: s, lock: Lock{Holder: holder, Op: op, Since: now, Token: hex.EncodeToString(b)}}
	if err := h.write(ctx); err != nil {
		return nil, err
	}
	if err := settle(ctx); err != nil {
		return nil, err
	}
	if err := h.verify(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// takeOver holds a lock found on the stack as this process's own: `deploy recover` finishing
// the work of a run that was killed.
func takeOver(s Stack, l Lock) *held { return &held{stack: s, lock: l} }

func (h *held) write(ctx context.Context) error {
	raw, err := json.Marshal(h.lock)
	if err != nil {
		return err
	}
	if err := h.stack.SetTag(ctx, LockTag, string(raw)); err != nil {
		return fmt.Errorf("taking the release lock (stack tag %s): %w", LockTag, err)
	}
	return nil
}

// record notes in the lock the release state deployed when the operation began.
func (h *held) record(ctx context.Context, before State) error {
	h.lock.Before = &before
	return h.write(ctx)
}

// verify fails with *ErrLocked unless the stack's lock is still this one.
func (h *held) verify(ctx context.Context) error {
	l, err := readLock(ctx, h.stack)
	if err != nil {
		return err
	}
	if l == nil || l.Token != h.lock.Token {
		if l == nil {
			l = &Lock{Holder: "nobody (the lock was cleared)", Op: "unknown"}
		}
		return &ErrLocked{Stack: h.stack.Name(), Lock: *l}
	}
	return nil
}

// reclaim is verify for the steps that put production back (a restore, a flip-back, a
// recover): a lock that is gone is written again rather than obeyed. On Pulumi Cloud every
// update replaces the stack's tags with the set its CLI read when it started, so a plain
// `pulumi up` sitting at its prompt (or a drift run) can drop the lock; a release that then
// refused to undo its own failure would leave production on a version no check passed. A lock
// held by someone else is still refused. It reports whether the lock had to be written again.
func (h *held) reclaim(ctx context.Context) (bool, error) {
	l, err := readLock(ctx, h.stack)
	if err != nil {
		return false, err
	}
	switch {
	case l == nil:
		return true, h.write(ctx)
	case l.Token != h.lock.Token:
		return false, &ErrLocked{Stack: h.stack.Name(), Lock: *l}
	}
	return false, nil
}

// release removes the lock if it is still this one: `deploy unlock` may have cleared it and
// someone else may hold the stack now.
func (h *held) release(ctx context.Context) error {
	cur, err := readLock(ctx, h.stack)
	if err != nil || cur == nil || cur.Token != h.lock.Token {
		return err
	}
	return h.stack.RemoveTag(ctx, LockTag)
}
