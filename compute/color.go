package compute

import "fmt"

// Color names one of the two fleets of a blue/green deployment.
type Color string

// The two colors.
const (
	Blue  Color = "blue"
	Green Color = "green"
)

// Colors lists both colors in a fixed order, so that resources are always registered alike.
var Colors = []Color{Blue, Green}

// Other returns the other color.
func (c Color) Other() Color {
	if c == Green {
		return Blue
	}
	return Green
}

func (c Color) validate() error {
	if c != Blue && c != Green {
		return fmt.Errorf("color %q is not %q or %q", string(c), Blue, Green)
	}
	return nil
}
