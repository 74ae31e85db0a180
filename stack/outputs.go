package stack

import "github.com/webstack/webstack/contract"

// OutputNames lists every stack output the program exports, in documentation order.
var OutputNames = contract.OutputNames
