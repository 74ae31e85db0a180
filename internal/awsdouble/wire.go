// Package awsdouble is a local double of AWS for the real Pulumi engine: a provider plugin
// (built as pulumi-resource-aws and pulumi-resource-random from this package's cmd/
// directories) that the Pulumi CLI loads in place of the real providers, and the World it
// forwards every call to, which runs in the test process on loopback.
//
// The World answers with the recording mock engine's state functions and refuses what its AWS
// rules refuse (package mockaws), so a real `pulumi up` of the real program gets the answers
// and the refusals the offline plan gets. On top of that it simulates what happens over time in
// an Application Load Balancer with Auto Scaling groups (see Sim): instances of a color come up
// running the version their launch template names, an instance refresh replaces them
// gradually, a listener change moves new requests at once.
//
// Nothing here talks to anything but 127.0.0.1.
package awsdouble

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// EnvWorld names the environment variable that carries the World's URL to the plugin
// processes the Pulumi CLI starts (they inherit its environment).
const EnvWorld = "WEBSTACK_AWS_DOUBLE"

// Plugin versions: the SDK versions the program is built with, so that the CLI asks for
// exactly these plugins (go.mod pins them; TestVersionsMatchGoMod holds them equal).
const (
	AWSVersion    = "6.83.0"
	RandomVersion = "4.18.4"
)

// props is a property map on the wire: the protobuf Struct form the engine uses, as JSON, so
// that secrets, unknowns and resource references survive the trip.
type props json.RawMessage

var marshalOpts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func encodeProps(m resource.PropertyMap) (props, error) {
	s, err := plugin.MarshalProperties(m, marshalOpts)
	if err != nil {
		return nil, err
	}
	b, err := protojson.Marshal(s)
	return props(b), err
}

func decodeProps(p props) (resource.PropertyMap, error) {
	if len(p) == 0 {
		return resource.PropertyMap{}, nil
	}
	var s structpb.Struct
	if err := protojson.Unmarshal(p, &s); err != nil {
		return nil, fmt.Errorf("decoding properties: %w", err)
	}
	return plugin.UnmarshalProperties(&s, marshalOpts)
}

// MarshalJSON and UnmarshalJSON keep props verbatim inside the request and response objects.
func (p props) MarshalJSON() ([]byte, error) {
	if len(p) == 0 {
		return []byte("null"), nil
	}
	return p, nil
}

func (p *props) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*p = nil
		return nil
	}
	*p = append((*p)[:0], b...)
	return nil
}

// Requests and responses of the World's API, one pair per provider operation.

type providerConfig struct {
	// URN is the provider resource's URN; Args its configuration (region, default tags).
	URN  string `json:"urn"`
	Args props  `json:"args"`
}

type createRequest struct {
	Provider providerConfig `json:"provider"`
	URN      string         `json:"urn"`
	Type     string         `json:"type"`
	Name     string         `json:"name"`
	Inputs   props          `json:"inputs"`
}

type createResponse struct {
	ID    string `json:"id"`
	State props  `json:"state"`
}

type updateRequest struct {
	Provider providerConfig `json:"provider"`
	URN      string         `json:"urn"`
	Inputs   props          `json:"inputs"`
}

type stateResponse struct {
	ID     string `json:"id,omitempty"`
	State  props  `json:"state"`
	Inputs props  `json:"inputs,omitempty"`
	// Gone is set by read when the resource no longer exists.
	Gone bool `json:"gone,omitempty"`
}

type urnRequest struct {
	URN string `json:"urn"`
}

type invokeRequest struct {
	Provider providerConfig `json:"provider"`
	Token    string         `json:"token"`
	Args     props          `json:"args"`
}

type invokeResponse struct {
	Return props `json:"return"`
}

// apiError is the World's answer to a refused operation: the message is what the engine shows.
type apiError struct {
	Message string `json:"message"`
}
