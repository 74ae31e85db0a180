package release

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// LockTag is the stack tag that holds a release, rollback, retirement or `deploy up` across all
// of its steps. Pulumi's own lock lasts one update; a release is several, and a second
// operator's rollback between two of them would be undone by the next.
const LockTag = "webstack:release-lock"

// Lock is the value of LockTag: who holds the stack, for what, since when.
type Lock struct {
	Holder string    `json:"holder"`
	Op     string    `json:"op"`
	Since  time.Time `json:"since"`
	Token  string    `json:"token"`
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

// acquire takes the stack for op, or refuses with *ErrLocked. Stack tags cannot be compared
// and swapped, so it writes its own token, waits settle and reads it back: of two operators
// starting at the same moment, at most one reads its own token.
func acquire(ctx context.Context, s Stack, holder, op string, now time.Time, settle func(context.Context) error) (func(context.Context) error, error) {
	if l, err := readLock(ctx, s); err != nil {
		return nil, err
	} else if l != nil {
		return nil, &ErrLocked{Stack: s.Name(), Lock: *l}
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	mine := Lock{Holder: holder, Op: op, Since: now, Token: hex.EncodeToString(b)}
	raw, err := json.Marshal(mine)
	if err != nil {
		return nil, err
	}
	if err := s.SetTag(ctx, LockTag, string(raw)); err != nil {
		return nil, fmt.Errorf("taking the release lock (stack tag %s): %w", LockTag, err)
	}
	if err := settle(ctx); err != nil {
		return nil, err
	}
	l, err := readLock(ctx, s)
	if err != nil {
		return nil, err
	}
	if l == nil || l.Token != mine.Token {
		if l == nil {
			l = &Lock{Holder: "another operator", Op: "unknown"}
		}
		return nil, &ErrLocked{Stack: s.Name(), Lock: *l}
	}
	release := func(ctx context.Context) error {
		// Only our own lock is removed: `deploy unlock` may have cleared it and someone
		// else may hold the stack now.
		cur, err := readLock(ctx, s)
		if err != nil || cur == nil || cur.Token != mine.Token {
			return err
		}
		return s.RemoveTag(ctx, LockTag)
	}
	return release, nil
}
