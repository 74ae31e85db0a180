package plan

// The operations part of the diagram: alert topics, alarms, dashboards and log groups.

// operations summarizes monitoring: the alert topics, the alarms as one node with an edge to
// each topic they notify, dashboards, and the log groups as one node.
func (a *arch) operations() {
	topics := map[string]string{} // topic ARN or ID → node ID
	for _, t := range a.byType[typeTopic] {
		id := a.fc.id("topic", t.Name)
		a.node[t.URN] = id
		a.fc.add(a.ops, id, box, "SNS topic", nameOf(t))
		for _, ref := range []string{str(t.State, "arn"), t.ID} {
			if ref != "" {
				topics[ref] = id
			}
		}
	}
	if alarms := a.byType[typeMetricAlarm]; len(alarms) > 0 {
		alarmsID := a.fc.id("ops", "alarms")
		a.fc.add(a.ops, alarmsID, box, plural(len(alarms), "CloudWatch alarm"))
		notified := map[string]bool{}
		for _, al := range alarms {
			for _, key := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
				for _, arn := range strs(al.Inputs, key) {
					if t := topics[arn]; t != "" {
						notified[t] = true
					}
				}
			}
		}
		for _, t := range sortedKeys(notified) {
			a.fc.link(alarmsID, solid, t, "notify")
		}
	}
	for _, d := range a.byType[typeDashboard] {
		id := a.fc.id("dash", d.Name)
		a.fc.add(a.ops, id, box, "CloudWatch dashboard", nameOf(d))
	}
	if logs := a.byType[typeLogGroup]; len(logs) > 0 {
		a.fc.add(a.ops, a.fc.id("ops", "logs"), box, plural(len(logs), "CloudWatch log group"))
	}
}
