package stack

import (
	"errors"
	"fmt"
	"strings"
)

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// window is a span of minutes on the week's circle: it starts at start (minutes since Sunday
// 00:00 UTC) and lasts length minutes, wrapping from Saturday into Sunday.
type window struct{ start, length int }

// dailyWindow is a window that recurs every day (RDS backups, ElastiCache snapshots).
type dailyWindow window

func (w dailyWindow) minutes() int { return w.length }

// overlaps reports whether any day's occurrence of w intersects the weekly window m.
func (w dailyWindow) overlaps(m window) bool {
	for d := 0; d < 7; d++ {
		if (window{start: d*minutesPerDay + w.start, length: w.length}).overlaps(m) {
			return true
		}
	}
	return false
}

func (w window) minutes() int { return w.length }

// overlaps reports whether two windows on the week's circle share a minute.
func (w window) overlaps(o window) bool {
	mod := func(x int) int { return ((x % minutesPerWeek) + minutesPerWeek) % minutesPerWeek }
	return mod(o.start-w.start) < w.length || mod(w.start-o.start) < o.length
}

// parseDailyWindow parses "hh:mm-hh:mm" (UTC); the end may be past midnight.
func parseDailyWindow(s string) (dailyWindow, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return dailyWindow{}, errors.New(`is not a daily window "hh:mm-hh:mm" (UTC)`)
	}
	a, errA := parseClock(from)
	b, errB := parseClock(to)
	if errA != nil || errB != nil {
		return dailyWindow{}, errors.New(`is not a daily window "hh:mm-hh:mm" (UTC)`)
	}
	length := (b - a + minutesPerDay) % minutesPerDay
	if length == 0 {
		return dailyWindow{}, errors.New("starts and ends at the same time")
	}
	return dailyWindow{start: a, length: length}, nil
}

// parseWeeklyWindow parses "ddd:hh:mm-ddd:hh:mm" (UTC, days sun..sat in any case).
func parseWeeklyWindow(s string) (window, error) {
	bad := errors.New(`is not a weekly window "ddd:hh:mm-ddd:hh:mm" (UTC), e.g. "sun:18:00-sun:19:00"`)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return window{}, bad
	}
	point := func(p string) (int, error) {
		day, clock, ok := strings.Cut(p, ":")
		if !ok {
			return 0, bad
		}
		d := -1
		for i, name := range weekdays {
			if strings.EqualFold(day, name) {
				d = i
			}
		}
		m, err := parseClock(clock)
		if d < 0 || err != nil {
			return 0, bad
		}
		return d*minutesPerDay + m, nil
	}
	a, errA := point(from)
	b, errB := point(to)
	if errA != nil || errB != nil {
		return window{}, bad
	}
	length := (b - a + minutesPerWeek) % minutesPerWeek
	if length == 0 {
		return window{}, errors.New("starts and ends at the same time")
	}
	return window{start: a, length: length}, nil
}

// parseClock parses "hh:mm" (24-hour) into minutes since midnight.
func parseClock(s string) (int, error) {
	digit := func(i int) int { return int(s[i] - '0') }
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("clock %q is not hh:mm", s)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("clock %q is not hh:mm", s)
		}
	}
	h, m := digit(0)*10+digit(1), digit(3)*10+digit(4)
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("clock %q is not hh:mm", s)
	}
	return h*60 + m, nil
}
