package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
)

// JSON writes the plan as one indented JSON object. Map keys are sorted and resources are in
// URN order, so the same files always give byte-identical output.
func (p *Plan) JSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// keySettings names, per resource type, the inputs the text view shows beside a resource.
// Types without an entry show their name only; the JSON view always has every input.
var keySettings = map[string][]string{
	contract.TypeAWSProvider:                 {"region", "defaultTags.tags"},
	contract.TypeEC2VPC:                      {"cidrBlock", "enableDnsHostnames"},
	contract.TypeEC2Subnet:                   {"availabilityZone", "cidrBlock", "mapPublicIpOnLaunch", "tags.Tier"},
	contract.TypeEC2NatGateway:               {"subnetId"},
	contract.TypeEC2Route:                    {"destinationCidrBlock", "gatewayId", "natGatewayId"},
	contract.TypeEC2VPCEndpoint:              {"serviceName", "vpcEndpointType"},
	contract.TypeEC2FlowLog:                  {"trafficType", "logDestinationType"},
	contract.TypeCloudWatchLogGroup:          {"retentionInDays"},
	contract.TypeEC2SecurityGroup:            {"description"},
	contract.TypeVPCSecurityGroupIngressRule: {"fromPort", "cidrIpv4", "referencedSecurityGroupId", "prefixListId"},
	contract.TypeVPCSecurityGroupEgressRule:  {"fromPort", "cidrIpv4", "referencedSecurityGroupId", "prefixListId"},
	contract.TypeEC2Instance:                 {"instanceType", "associatePublicIpAddress", "metadataOptions.httpTokens", "rootBlockDevice.encrypted"},
	contract.TypeIAMRolePolicyAttachment:     {"policyArn"},
	// Data tier.
	contract.TypeRDSInstance:                 {"identifier", "instanceClass", "multiAz", "availabilityZone", "replicateSourceDb", "storageEncrypted", "manageMasterUserPassword", "backupRetentionPeriod", "deletionProtection", "port"},
	contract.TypeRDSParameterGroup:           {"family"},
	contract.TypeRDSOptionGroup:              {"engineName", "majorEngineVersion"},
	contract.TypeElastiCacheReplicationGroup: {"engine", "engineVersion", "nodeType", "numCacheClusters", "automaticFailoverEnabled", "multiAzEnabled", "atRestEncryptionEnabled", "transitEncryptionMode", "authToken"},
	contract.TypeSecretsManagerSecretVersion: {"secretString"},
	contract.TypeRandomPassword:              {"length", "special"},
	contract.TypeLBLoadBalancer:              {"internal", "dropInvalidHeaderFields", "desyncMitigationMode", "enableDeletionProtection", "idleTimeout", "accessLogs.enabled"},
	contract.TypeLBTargetGroup:               {"port", "healthCheck.path", "healthCheck.interval", "healthCheck.healthyThreshold", "deregistrationDelay"},
	contract.TypeLBListener:                  {"port", "protocol", "sslPolicy", "defaultActions"},
	contract.TypeLBListenerRule:              {"priority", "actions"},
	contract.TypeEC2LaunchTemplate:           {"imageId", "instanceType", "metadataOptions.httpTokens", "metadataOptions.httpPutResponseHopLimit", "blockDeviceMappings"},
	contract.TypeAutoscalingGroup:            {"minSize", "desiredCapacity", "maxSize", "healthCheckType", "waitForElbCapacity"},
	contract.TypeECRRepository:               {"name", "imageTagMutability", "imageScanningConfiguration.scanOnPush"},

	contract.TypeS3BucketV2:                                  {"bucketPrefix", "forceDestroy"},
	contract.TypeS3BucketOwnershipControls:                   {"rule.objectOwnership"},
	contract.TypeS3BucketPublicAccessBlock:                   {"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"},
	contract.TypeS3BucketServerSideEncryptionConfigurationV2: {"rules"},
	contract.TypeS3BucketLoggingV2:                           {"targetPrefix"},
	contract.TypeS3BucketNotification:                        {"eventbridge"},
	contract.TypeS3BucketVersioningV2:                        {"versioningConfiguration.status"},
	contract.TypeCloudFrontOriginAccessControl:               {"originAccessControlOriginType", "signingBehavior", "signingProtocol"},
	contract.TypeCloudFrontFunction:                          {"runtime", "publish"},
	contract.TypeCloudFrontDistribution:                      {"aliases", "defaultRootObject", "priceClass", "httpVersion", "isIpv6Enabled", "viewerCertificate.minimumProtocolVersion", "webAclId"},
	contract.TypeACMCertificate:                              {"domainName", "validationMethod", "keyAlgorithm"},
	contract.TypeRoute53Record:                               {"name", "type"},
	contract.TypeWAFv2WebACL:                                 {"scope"},
}

// Text writes the human view, most important first: a summary (resources, check results passed,
// failed and excepted, the AZ-loss verdict), every failed check and every exception, then the
// default tags, the resource tree with key settings, counts by type, the outputs and what losing
// an AZ does. Passed checks are counted but not listed; VerboseText lists them too.
func (p *Plan) Text(w io.Writer) error { return p.text(w, false) }

// VerboseText writes the text view with a line for every passed check as well (`plan -v`).
func (p *Plan) VerboseText(w io.Writer) error { return p.text(w, true) }

// text writes the text view section by section; verbose lists the passed checks too.
func (p *Plan) text(w io.Writer, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "webstack plan: project %s, stack %s\n", p.Project, p.Stack)
	fmt.Fprintf(&b, "What `pulumi up -s %s` would register, run offline against a mock AWS.\n", p.Stack)

	passed, failed, exceptions := p.checksByOutcome()
	p.writeSummary(&b, len(passed), len(failed), len(exceptions))
	writeChecks(&b, "Failed checks", "FAIL", failed)
	writeChecks(&b, "Exceptions", "EXCEPTION", exceptions)
	b.WriteString("\n")

	p.writeAssumptions(&b)
	p.writeResourceTree(&b)
	p.writeCounts(&b)
	p.writeOutputs(&b)

	if verbose {
		writeChecks(&b, "Passed checks", "PASS", passed)
	} else if len(passed) > 0 {
		fmt.Fprintf(&b, "\nPassed check results: %d (-v lists them)\n", len(passed))
	}
	if len(p.ChecksNotApplicable) > 0 {
		b.WriteString("Checks not applicable: " + strings.Join(p.ChecksNotApplicable, ", ") + "\n")
	}
	p.writeAZLoss(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// checksByOutcome sorts the plan's checks into passed, failed and exceptions, each in the
// plan's order.
func (p *Plan) checksByOutcome() (passed, failed, exceptions []Check) {
	for _, c := range p.Checks {
		switch {
		case c.Exception != "":
			exceptions = append(exceptions, c)
		case !c.Passed:
			failed = append(failed, c)
		default:
			passed = append(passed, c)
		}
	}
	return passed, failed, exceptions
}

// writeSummary writes the summary that leads the text view: resources and outputs, the check
// counts and the AZ-loss verdict.
func (p *Plan) writeSummary(b *strings.Builder, passed, failed, exceptions int) {
	b.WriteString("\nSummary\n")
	fmt.Fprintf(b, "  %s, %s\n", plural(len(p.Resources), "resource"), plural(len(p.Outputs), "output"))
	// A result is one check judging one resource, so there are more results than checks.
	fmt.Fprintf(b, "  check results: %d passed, %d failed, %s", passed, failed, plural(exceptions, "exception"))
	if len(p.ChecksNotApplicable) > 0 {
		fmt.Fprintf(b, "; %s not applicable (no resource of their types)", plural(len(p.ChecksNotApplicable), "check"))
	}
	b.WriteString("\n")
	switch {
	case p.AZLoss != nil:
		fmt.Fprintf(b, "  AZ loss: %s", p.AZLoss.Summary())
		if n := len(p.AZLoss.Notes); n > 0 {
			fmt.Fprintf(b, " %s not judged (see the notes below).", plural(n, "part"))
		}
		b.WriteString("\n")
	case p.AZLossErr != nil:
		fmt.Fprintf(b, "  AZ loss: not analysed: %v\n", p.AZLossErr)
	}
}

// writeChecks writes a titled list of checks, one line each marked with status; nothing when
// the list is empty.
func writeChecks(b *strings.Builder, title, status string, list []Check) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d)\n", title, len(list))
	for _, c := range list {
		fmt.Fprintf(b, "  %-9s %-26s %s\n", status, c.ID, c.Message)
	}
}

// writeAssumptions writes what the plan takes for granted: the providers' default tags and
// the images assumed pushed to ECR.
func (p *Plan) writeAssumptions(b *strings.Builder) {
	for _, r := range p.Resources {
		if tags := lookup(r.Inputs, []string{"defaultTags", "tags"}); r.Type == contract.TypeAWSProvider && tags != nil {
			fmt.Fprintf(b, "Default tags of provider %s (on every resource it creates that takes tags): %s\n", r.Name, compact(tags))
		}
	}
	if len(p.AssumedImages) > 0 {
		fmt.Fprintf(b, "Images assumed pushed to ECR (the offline plan cannot see the registry; `pulumi up` refuses a version whose image is missing): %s\n",
			strings.Join(p.AssumedImages, ", "))
	}
}

// writeResourceTree writes every resource under its parent, in registration order.
func (p *Plan) writeResourceTree(b *strings.Builder) {
	children := registrationOrder(p.Resources)
	fmt.Fprintf(b, "\nResources (%d)\n", len(p.Resources))
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		list := children[parent]
		for i, r := range list {
			branch, next := "├─ ", "│  "
			if i == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			fmt.Fprintf(b, "%s%s%s %s", indent, branch, r.Name, r.Type)
			if r.Protect {
				b.WriteString(" [protected]")
			}
			if s := settings(r); s != "" {
				b.WriteString("  " + s)
			}
			b.WriteByte('\n')
			walk(r.URN, indent+next)
		}
	}
	walk("", "")
}

// writeCounts writes how many resources of each type the plan holds, sorted by type.
func (p *Plan) writeCounts(b *strings.Builder) {
	counts := map[string]int{}
	for _, r := range p.Resources {
		counts[r.Type]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	b.WriteString("\nCounts by type\n")
	for _, t := range types {
		fmt.Fprintf(b, "  %4d  %s\n", counts[t], t)
	}
}

// writeOutputs writes the stack outputs sorted by name.
func (p *Plan) writeOutputs(b *strings.Builder) {
	b.WriteString("\nOutputs\n")
	names := make([]string, 0, len(p.Outputs))
	for n := range p.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(b, "  %-26s %s\n", n, compact(p.Outputs[n]))
	}
}

// writeAZLoss writes the AZ-loss verdict in full: its single points of failure and notes.
func (p *Plan) writeAZLoss(b *strings.Builder) {
	if p.AZLoss == nil {
		return
	}
	fmt.Fprintf(b, "\nAZ loss: %s\n", p.AZLoss.Summary())
	for _, spof := range p.AZLoss.SinglePointsOfFailure() {
		fmt.Fprintf(b, "  - %s\n", spof)
	}
	for _, n := range p.AZLoss.Notes {
		fmt.Fprintf(b, "  note: %s\n", n)
	}
}

// registrationOrder returns each parent's children (by parent URN, "" for the stack) in an
// order the engine could have registered them: providers first, then every resource after the
// siblings whose subtree it (or its own subtree) depends on, so the VPC comes before its subnets
// and routes. The Go SDK registers independent resources concurrently, so the mock's arrival
// order is not reproducible; this order is, and ties go by type, then name.
func registrationOrder(resources []Resource) map[string][]Resource {
	byURN := map[string]Resource{}
	children := map[string][]Resource{}
	for _, r := range resources {
		byURN[r.URN] = r
		children[r.Parent] = append(children[r.Parent], r)
	}
	// top maps a resource URN to its ancestor among the children of parent.
	top := func(urn, parent string) (string, bool) {
		for urn != "" {
			r, ok := byURN[urn]
			if !ok {
				return "", false
			}
			if r.Parent == parent {
				return urn, true
			}
			urn = r.Parent
		}
		return "", false
	}
	var subtree func(urn string, visit func(Resource))
	subtree = func(urn string, visit func(Resource)) {
		visit(byURN[urn])
		for _, c := range children[urn] {
			subtree(c.URN, visit)
		}
	}
	less := func(a, c Resource) bool {
		if pa, pc := isProvider(a), isProvider(c); pa != pc {
			return pa
		}
		if a.Type != c.Type {
			return a.Type < c.Type
		}
		return a.Name < c.Name
	}
	ordered := map[string][]Resource{}
	for parent, list := range children {
		sort.SliceStable(list, func(i, j int) bool { return less(list[i], list[j]) })
		// after[x] are the siblings x's subtree depends on.
		after := map[string]map[string]bool{}
		for _, sib := range list {
			deps := map[string]bool{}
			subtree(sib.URN, func(r Resource) {
				for _, d := range r.Dependencies {
					if t, ok := top(d, parent); ok && t != sib.URN {
						deps[t] = true
					}
				}
			})
			after[sib.URN] = deps
		}
		done := map[string]bool{}
		var out []Resource
		for len(out) < len(list) {
			next := -1
			for i, sib := range list {
				if done[sib.URN] {
					continue
				}
				if next < 0 {
					next = i // the first left, should every one wait on another (a cycle)
				}
				if waitsOn(after[sib.URN], done) {
					continue
				}
				next = i
				break
			}
			done[list[next].URN] = true
			out = append(out, list[next])
		}
		ordered[parent] = out
	}
	return ordered
}

// waitsOn reports whether any of deps is not done yet.
func waitsOn(deps, done map[string]bool) bool {
	for d := range deps {
		if !done[d] {
			return true
		}
	}
	return false
}

func isProvider(r Resource) bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// settings renders the key settings of a resource as k=v pairs.
func settings(r Resource) string {
	var parts []string
	for _, path := range keySettings[r.Type] {
		v := lookup(r.Inputs, strings.Split(path, "."))
		if v == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%s", path, compact(v)))
	}
	return strings.Join(parts, " ")
}

func lookup(m map[string]any, path []string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// compact renders a value on one line: strings bare, everything else as JSON.
func compact(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
