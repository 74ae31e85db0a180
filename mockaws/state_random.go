package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// randomStates answer pulumi-random's RandomPassword for the edge tier's origin secret.
//
// MERGE NOTE: the data branch's dataStates (mockaws/state_data.go) has an equivalent
// "random:index/randomPassword:RandomPassword" entry; when both are merged, delete this file
// and its entry in stateFuncs, or merge() panics on the duplicate key.
var randomStates = map[string]stateFunc{
	"random:index/randomPassword:RandomPassword": func(e *Engine, r *Resource, s resource.PropertyMap) {
		r.ID = "none" // what the random provider uses
		delete(s, "arn")
		n := 16
		if v, ok := s["length"]; ok {
			if u, ok := unwrap(v); ok && u.IsNumber() {
				n = int(u.NumberValue())
			}
		}
		// Deterministic, long enough, and obviously not a real secret.
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(hash(r.URN+fmt.Sprint(b.Len()), 64))
		}
		s["result"] = resource.MakeSecret(resource.NewProperty(b.String()[:n]))
		s["bcryptHash"] = resource.MakeSecret(resource.NewProperty("$2a$10$" + hash(r.URN+"bcrypt", 53)))
	},
}
