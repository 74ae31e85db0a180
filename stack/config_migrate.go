package stack

import (
	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
)

// The release's migration step (docs/release.md, "The migration step"): webstack:app.migrate
// (AppConfig.Migrate) is the team's command, webstack:app.contract the record the release tool
// keeps of the last contract migration.

// ContractConfig is `webstack:app.contract`: the last release whose migration was a contract
// (one that removes what older versions read), written by the release tool. While Replaced is
// set, a rollback to it is refused: it ran on the schema before the contract.
type ContractConfig struct {
	// Version is the version whose release ran the last contract migration; empty when none
	// did. Written by `deploy release --migration contract`; never edit it by hand.
	Version string `key:"version"`
	// Replaced is the version that was live when that contract migration ran, which a rollback
	// may no longer make live; the next release clears it (its idle color then runs a version
	// from after the contract). Written by the release tool.
	Replaced string `key:"replaced"`
}

// maxMigrateLength bounds webstack:app.migrate: the command is embedded in the runner's user
// data, which EC2 limits to 16 KB (compute.MaxUserDataBytes).
const maxMigrateLength = 1024

// validateMigration checks webstack:app.migrate and webstack:app.contract.
func (a *AppConfig) validateMigration(p *problems, key string) {
	if m := a.Migrate; m != "" && (len(m) > maxMigrateLength || !compute.MigrationCommandPattern.MatchString(m)) {
		p.add(key+".migrate", "%s must be the words passed to `docker run <image>` (letters, digits and _ . / : = , @ + -, separated by single spaces, at most %d characters): no quotes, no shell", quote(m), maxMigrateLength)
	}
	c := a.Contract
	for _, f := range []struct{ key, v string }{{"version", c.Version}, {"replaced", c.Replaced}} {
		if f.v != "" && !contract.IsImageTag(f.v) {
			p.add(key+".contract."+f.key, "%s is not a valid image tag: the release tool writes this record, do not edit it", quote(f.v))
		}
	}
	if c.Replaced != "" && c.Version == "" {
		p.add(key+".contract.replaced", "%s is set without %s.contract.version: the release tool writes both, do not edit them", quote(c.Replaced), key)
	}
}
