package resilience

import (
	"errors"
	"fmt"
	"slices"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/policy"
)

// Tier is one part of the stack whose fate an AZ loss decides.
type Tier string

// Tiers, in the order a report lists them.
const (
	// LoadBalancer is every aws:lb/loadBalancer:LoadBalancer, judged by the AZs of its subnets.
	LoadBalancer Tier = "load balancer"
	// LiveFleet is the Auto Scaling groups attached to the target groups the production
	// listener forwards to: the live color (both colors' shares during a canary).
	LiveFleet Tier = "live fleet"
	// Egress is the default route of every app subnet (tag Tier=app) through a NAT gateway.
	Egress Tier = "egress"
	// Database is every RDS writer (an aws:rds/instance:Instance without replicateSourceDb)
	// with its read replicas.
	Database Tier = "database"
	// Cache is every ElastiCache replication group.
	Cache Tier = "cache"
	// Bastion is every standalone EC2 instance (aws:ec2/instance:Instance): admin access
	// only, so it is reported but is not a serving tier.
	Bastion Tier = "bastion"
)

// tierOrder is the order of the tiers in a report.
var tierOrder = []Tier{LoadBalancer, LiveFleet, Egress, Database, Cache, Bastion}

// Serving reports whether a tier serves users' requests. The bastion does not: losing it
// costs admin access, not service.
func (t Tier) Serving() bool { return t != Bastion }

// Status is a tier's fate when an AZ is lost.
type Status string

// Statuses, from best to worst.
const (
	// Serves: the tier keeps serving, possibly on less capacity or after an automatic failover.
	Serves Status = "serves"
	// Degraded: the tier serves in part (reads but not writes, AWS services but not the
	// internet) or needs a person to act (a manual promotion).
	Degraded Status = "degraded"
	// Down: the tier stops serving until the AZ returns or something is replaced.
	Down Status = "down"
)

func (s Status) rank() int { return slices.Index([]Status{Serves, Degraded, Down}, s) }

// TierVerdict is one tier's fate when one AZ is lost.
type TierVerdict struct {
	Tier   Tier
	Status Status
	// Reason says why in one line. It names AZs and resources but never the live color.
	Reason string
}

// Loss is what happens to every tier of the stack when one AZ is lost.
type Loss struct {
	// AZ is the availability zone lost.
	AZ string
	// Tiers are the verdicts of the tiers the stack has, in report order.
	Tiers []TierVerdict
}

// Verdict returns the verdict on a tier, and false when the stack has no such tier.
func (l Loss) Verdict(t Tier) (TierVerdict, bool) {
	for _, v := range l.Tiers {
		if v.Tier == t {
			return v, true
		}
	}
	return TierVerdict{}, false
}

// Report is the AZ-loss analysis of one stack.
type Report struct {
	// AZs are the availability zones the stack's subnets are in, sorted.
	AZs []string
	// Losses has one entry per AZ, in the order of AZs.
	Losses []Loss
	// Notes say why a tier the stack has is not judged (a live fleet before the first
	// release), one sentence each.
	Notes []string
}

// SPOF is a single point of failure: an AZ whose loss leaves a serving tier down or degraded.
type SPOF struct {
	Tier   Tier
	AZ     string
	Status Status
	// Reason is the verdict's reason.
	Reason string
}

// String explains the single point of failure in one line.
func (s SPOF) String() string {
	return fmt.Sprintf("%s %s without %s: %s", s.Tier, statusWord(s.Status), s.AZ, s.Reason)
}

// statusWord is how a sentence says a status ("is down", "is degraded").
func statusWord(s Status) string {
	if s == Serves {
		return "serves"
	}
	return "is " + string(s)
}

// Tiers returns the tiers the stack has, in report order.
func (r *Report) Tiers() []Tier {
	if len(r.Losses) == 0 {
		return nil
	}
	var out []Tier
	for _, v := range r.Losses[0].Tiers {
		out = append(out, v.Tier)
	}
	return out
}

// Lost returns what losing an AZ does, and false for an AZ the stack is not in.
func (r *Report) Lost(az string) (Loss, bool) {
	for _, l := range r.Losses {
		if l.AZ == az {
			return l, true
		}
	}
	return Loss{}, false
}

// Survives reports whether every serving tier serves whichever single AZ is lost.
func (r *Report) Survives() bool { return len(r.SinglePointsOfFailure()) == 0 }

// SinglePointsOfFailure returns every (serving tier, AZ) whose loss leaves the tier down or
// degraded, ordered by tier, then AZ.
func (r *Report) SinglePointsOfFailure() []SPOF {
	var out []SPOF
	for _, t := range tierOrder {
		if !t.Serving() {
			continue
		}
		for _, l := range r.Losses {
			if v, ok := l.Verdict(t); ok && v.Status != Serves {
				out = append(out, SPOF{Tier: t, AZ: l.AZ, Status: v.Status, Reason: v.Reason})
			}
		}
	}
	return out
}

// judge is one tier's analysis, its references already resolved: it gives the verdict when
// the AZ lost is lost.
type judge func(lost string) TierVerdict

// Analyze judges, for each AZ the stack's subnets are in, what losing that AZ does to every
// tier, from what the run registered. References that do not resolve to a registered resource
// (a subnet ID, a target group ARN, a replica's source) and subnets without an AZ are errors.
func Analyze(res *mockaws.Result) (*Report, error) {
	if res == nil {
		return nil, errors.New("resilience: no mock result to analyze")
	}
	a := &analyzer{res: res, s: policy.NewStack(res)}
	if err := a.indexSubnets(); err != nil {
		return nil, err
	}
	if err := a.indexEgress(); err != nil {
		return nil, fmt.Errorf("resilience: %s: %w", Egress, err)
	}
	builders := map[Tier]func() (judge, error){
		LoadBalancer: a.loadBalancers,
		LiveFleet:    a.liveFleet,
		Egress:       a.egress,
		Database:     a.database,
		Cache:        a.cache,
		Bastion:      a.bastion,
	}
	var tiers []Tier
	var judges []judge
	for _, t := range tierOrder {
		j, err := builders[t]()
		if err != nil {
			return nil, fmt.Errorf("resilience: %s: %w", t, err)
		}
		if j != nil {
			tiers = append(tiers, t)
			judges = append(judges, j)
		}
	}
	rep := &Report{AZs: a.azs, Notes: a.notes}
	for _, az := range a.azs {
		l := Loss{AZ: az}
		for i, j := range judges {
			v := j(az)
			v.Tier = tiers[i]
			l.Tiers = append(l.Tiers, v)
		}
		rep.Losses = append(rep.Losses, l)
	}
	return rep, nil
}

// analyzer holds one run's resources, indexed for the tiers' lookups.
type analyzer struct {
	res *mockaws.Result
	s   *policy.Stack
	// subnets maps every registered subnet to its AZ and Tier tag.
	subnets map[*mockaws.Resource]subnetInfo
	// azs are the AZs of the subnets, sorted.
	azs []string
	// routes maps subnets to their default route, for those that have one.
	routes map[*mockaws.Resource]defaultRoute
	// nats are the NAT gateways, with the AZ of each one's subnet.
	nats map[*mockaws.Resource]string
	// endpoints maps an interface endpoint's service ("ecr.api") to the AZs of its subnets.
	endpoints map[string][]string
	// notes are the report's notes.
	notes []string
}

// subnetInfo is what the analysis needs of a subnet.
type subnetInfo struct {
	name, az, tier string
}

// part is the verdict on one resource of a tier (one load balancer, one writer); a tier with
// several combines them.
type part struct {
	status Status
	reason string
}

// combine makes one verdict of a tier's parts: the worst status, every reason.
func combine(parts []part) TierVerdict {
	v := TierVerdict{Status: Serves}
	for i, p := range parts {
		if p.status.rank() > v.Status.rank() {
			v.Status = p.status
		}
		if i > 0 {
			v.Reason += "; "
		}
		v.Reason += p.reason
	}
	return v
}
