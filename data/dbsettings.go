package data

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MySQL major versions the program runs. 8.4 is the default: RDS for MySQL 8.0 reached the end
// of RDS standard support on 2026-07-31, after which an 8.0 instance runs only under paid RDS
// Extended Support
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html).
const (
	MySQL80 = "8.0"
	MySQL84 = "8.4"
)

// Engine lifecycle support values of rds.InstanceArgs.EngineLifecycleSupport. The API default
// is LifecycleExtendedSupport, which bills an instance on a major past its end of standard
// support for RDS Extended Support from its first hour; LifecycleStandardOnly makes RDS
// upgrade it instead, and makes CreateDBInstance fail for a major already past that date
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-creating-db-instance.html).
const (
	LifecycleExtendedSupport = "open-source-rds-extended-support"
	LifecycleStandardOnly    = "open-source-rds-extended-support-disabled"
)

// MajorVersion returns the major version of a MySQL engine version: "8.4.3" -> "8.4".
func MajorVersion(engineVersion string) string {
	parts := strings.SplitN(engineVersion, ".", 3)
	if len(parts) < 2 {
		return engineVersion
	}
	return parts[0] + "." + parts[1]
}

// ParameterFamily returns the DB parameter group family of a MySQL engine version: "mysql8.4"
// for 8.4 (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html).
func ParameterFamily(engineVersion string) string { return "mysql" + MajorVersion(engineVersion) }

// MySQLParameters are the server settings every instance runs with: utf8mb4 throughout, TLS
// required for every connection (RDS.39), and the slow query log written to a file so that
// RDS can export it (RDS.9). The general log is added by mysqlParameters when asked for. None
// of these names changed or was removed between MySQL 8.0 and 8.4 (MySQL 8.4 Reference
// Manual, "What Is New in MySQL 8.4 since MySQL 8.0": the removed server variables are the
// replication and authentication ones, e.g. default_authentication_plugin, expire_logs_days,
// master_info_repository).
var MySQLParameters = map[string]string{
	"character_set_server":     "utf8mb4",
	"character_set_client":     "utf8mb4",
	"character_set_connection": "utf8mb4",
	"character_set_database":   "utf8mb4",
	"character_set_results":    "utf8mb4",
	"collation_server":         "utf8mb4_0900_ai_ci",
	"collation_connection":     "utf8mb4_0900_ai_ci",
	"require_secure_transport": "1",
	"slow_query_log":           "1",
	"long_query_time":          "1",
	"log_output":               "FILE",
}

// mysqlParameters returns MySQLParameters with general_log set: "1" records every statement
// with its literal values in the general log (exported to CloudWatch Logs), "0" leaves the
// export enabled but empty.
func mysqlParameters(generalLog bool) map[string]string {
	out := maps.Clone(MySQLParameters)
	out["general_log"] = map[bool]string{true: "1", false: "0"}[generalLog]
	return out
}

// AuditEvents are the events the MariaDB audit plugin records: logins and every statement that
// changes schema or privileges. All three are valid SERVER_AUDIT_EVENTS values on every MySQL
// version RDS offers the plugin for, 8.4 included
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.MySQL.Options.AuditPlugin.html).
const AuditEvents = "CONNECT,QUERY_DDL,QUERY_DCL"

func newParameterGroup(ctx *pulumi.Context, name, identifier, engineVersion string, generalLog bool, opts ...pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	values := mysqlParameters(generalLog)
	var params rds.ParameterGroupParameterArray
	for _, k := range slices.Sorted(maps.Keys(values)) {
		params = append(params, rds.ParameterGroupParameterArgs{
			Name:  pulumi.String(k),
			Value: pulumi.String(values[k]),
			// All of these are dynamic; "immediate" applies them without a reboot.
			ApplyMethod: pulumi.String("immediate"),
		})
	}
	logs := "slow log to file"
	if generalLog {
		logs = "slow and general logs to file"
	}
	pg, err := rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		Family:      pulumi.String(ParameterFamily(engineVersion)),
		Description: pulumi.Sprintf("%s: utf8mb4, TLS required, %s", identifier, logs),
		Parameters:  params,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("parameter group: %w", err)
	}
	return pg, nil
}

// newOptionGroup adds the MariaDB audit plugin, without which the `audit` log export is empty.
//
// keep leaves the option group in the account when Pulumi deletes it (skipDestroy: the provider
// only drops it from the state). RDS refuses to delete an option group that a DB snapshot uses,
// the final snapshot and the retained automated backups included: `InvalidOptionGroupStateFault:
// The option group '...' cannot be deleted because it is in use.` (pulumi-aws rds.OptionGroup
// doc comment; hashicorp/terraform-provider-aws#4597; RDS User Guide, "Deleting an option
// group"). Without keep, `pulumi destroy` of a stack that keeps its final snapshot would fail on
// the option group after deleting everything else; with it, the option group stays next to the
// snapshot, which a restore can then use as it is.
func newOptionGroup(ctx *pulumi.Context, name, identifier, engineVersion string, keep bool, opts ...pulumi.ResourceOption) (*rds.OptionGroup, error) {
	og, err := rds.NewOptionGroup(ctx, name+"-options", &rds.OptionGroupArgs{
		SkipDestroy:            pulumi.Bool(keep),
		EngineName:             pulumi.String("mysql"),
		MajorEngineVersion:     pulumi.String(MajorVersion(engineVersion)),
		OptionGroupDescription: pulumi.Sprintf("%s: MariaDB audit plugin for the audit log export", identifier),
		Options: rds.OptionGroupOptionArray{
			rds.OptionGroupOptionArgs{
				OptionName: pulumi.String("MARIADB_AUDIT_PLUGIN"),
				OptionSettings: rds.OptionGroupOptionOptionSettingArray{
					rds.OptionGroupOptionOptionSettingArgs{Name: pulumi.String("SERVER_AUDIT_EVENTS"), Value: pulumi.String(AuditEvents)},
				},
			},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("option group: %w", err)
	}
	return og, nil
}
