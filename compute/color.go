package compute

import (
	"fmt"

	"github.com/webstack/webstack/contract"
)

// Color names one of the two fleets of a blue/green deployment: the contract's, which the
// release tool shares.
type Color = contract.Color

// The two colors.
const (
	Blue  = contract.Blue
	Green = contract.Green
)

// Colors lists both colors in a fixed order, so that resources are always registered alike.
var Colors = []Color{Blue, Green}

// validColor refuses anything but the two colors.
func validColor(c Color) error {
	if c != Blue && c != Green {
		return fmt.Errorf("color %q is not %q or %q", string(c), Blue, Green)
	}
	return nil
}
