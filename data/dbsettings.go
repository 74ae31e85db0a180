package data

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MySQLParameterFamily is the parameter group family of every instance.
const MySQLParameterFamily = "mysql8.0"

// MySQLParameters are the server settings every instance runs with: utf8mb4 throughout, TLS
// required for every connection (RDS.39), and the general and slow query logs written to files
// so that RDS can export them (RDS.9, gotcha 8).
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
	"general_log":              "1",
	"log_output":               "FILE",
}

// AuditEvents are the events the MariaDB audit plugin records: logins and every statement that
// changes schema or privileges. Data reads and writes are in the general log.
const AuditEvents = "CONNECT,QUERY_DDL,QUERY_DCL"

func newParameterGroup(ctx *pulumi.Context, name, identifier string, opts ...pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	var params rds.ParameterGroupParameterArray
	for _, k := range slices.Sorted(maps.Keys(MySQLParameters)) {
		params = append(params, rds.ParameterGroupParameterArgs{
			Name:  pulumi.String(k),
			Value: pulumi.String(MySQLParameters[k]),
			// All of these are dynamic; "immediate" applies them without a reboot.
			ApplyMethod: pulumi.String("immediate"),
		})
	}
	pg, err := rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		Family:      pulumi.String(MySQLParameterFamily),
		Description: pulumi.Sprintf("%s: utf8mb4, TLS required, slow/general logs to file", identifier),
		Parameters:  params,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("parameter group: %w", err)
	}
	return pg, nil
}

// newOptionGroup adds the MariaDB audit plugin, without which the `audit` log export is empty.
func newOptionGroup(ctx *pulumi.Context, name, identifier string, opts ...pulumi.ResourceOption) (*rds.OptionGroup, error) {
	og, err := rds.NewOptionGroup(ctx, name+"-options", &rds.OptionGroupArgs{
		EngineName:             pulumi.String("mysql"),
		MajorEngineVersion:     pulumi.String("8.0"),
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
