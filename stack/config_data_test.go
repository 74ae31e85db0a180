package stack

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// prodDatabase and prodCache are a valid production-tier data config; each test case changes
// one key.
func prodDatabase() map[string]any {
	return map[string]any{
		"tier": "production", "engineVersion": "8.4", "instanceClass": "db.m7g.large",
		"replicaInstanceClass": "db.r7g.large", "allocatedStorage": 100, "maxAllocatedStorage": 500,
		"multiAz": true, "replicas": 1, "backupRetentionDays": 14, "backupWindow": "17:00-18:00",
		"maintenanceWindow": "sat:19:00-sat:20:00", "deletionProtection": true, "finalSnapshot": true,
		"protect": true, "port": 3307, "username": "webstack_admin", "dbName": "app",
		"logRetentionDays": 365, "performanceInsights": true, "monitoringInterval": 60,
		"passwordRotationDays": 30,
	}
}

func prodCache() map[string]any {
	return map[string]any{
		"tier": "production", "engine": "redis", "engineVersion": "7.1", "nodeType": "cache.m7g.large",
		"nodes": 2, "multiAz": true, "snapshotRetentionDays": 7, "snapshotWindow": "18:00-19:00",
		"maintenanceWindow": "sat:20:00-sat:21:00", "port": 6379, "logRetentionDays": 365, "protect": true,
	}
}

func dataValues(t *testing.T, db, cache map[string]any) map[string]string {
	t.Helper()
	values := map[string]string{"aws:region": "ap-northeast-2", "webstack:app": minimalApp}
	for key, v := range map[string]map[string]any{"webstack:database": db, "webstack:cache": cache} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		values[key] = string(b)
	}
	return values
}

func TestDataConfigValid(t *testing.T) {
	for name, db := range map[string]map[string]any{
		"production": prodDatabase(),
		"development": with(prodDatabase(), map[string]any{"tier": "development", "multiAz": false,
			"backupRetentionDays": 1, "deletionProtection": false, "finalSnapshot": false, "protect": false,
			"instanceClass": "db.t4g.micro", "replicaInstanceClass": "db.t4g.micro", "performanceInsights": false,
			"monitoringInterval": 0}),
		"production with every exception": with(prodDatabase(), map[string]any{"multiAz": false,
			"backupRetentionDays": 3, "deletionProtection": false, "finalSnapshot": false, "protect": false,
			"monitoringInterval": 0, "exceptions": map[string]any{"multiAz": "r", "backupRetention": "r",
				"deletionProtection": "r", "finalSnapshot": "r", "protect": "r", "enhancedMonitoring": "r"}}),
		"full engine version and window across midnight": with(prodDatabase(), map[string]any{
			"engineVersion": "8.4.5", "backupWindow": "23:30-00:30", "maintenanceWindow": "Sun:01:00-Sun:02:00"}),
		"8.0 under extended support": with(prodDatabase(), map[string]any{"engineVersion": "8.0.40", "extendedSupport": true}),
		"general log, apply immediately, daily rotation": with(prodDatabase(), map[string]any{
			"generalLog": true, "applyImmediately": true, "passwordRotationDays": 1}),
		"a newer rotation application": with(prodDatabase(), map[string]any{"rotationAppVersion": "1.1.700"}),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadConfig("webstack", "prod", dataValues(t, db, prodCache())); err != nil {
				t.Fatalf("valid config %v rejected: %v", db, err)
			}
		})
	}
	devCache := with(prodCache(), map[string]any{"tier": "development", "nodes": 1, "multiAz": false, "protect": false, "engine": "valkey", "engineVersion": "8.0"})
	if _, err := LoadConfig("webstack", "dev", dataValues(t, prodDatabase(), devCache)); err != nil {
		t.Fatalf("valid development cache %v rejected: %v", devCache, err)
	}
}

// with returns base with the given keys replaced; a nil value deletes the key.
func with(base map[string]any, changes map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func TestDataConfigRejects(t *testing.T) {
	const db, cache = "Pulumi.prod.yaml: webstack:database.", "Pulumi.prod.yaml: webstack:cache."
	cases := []struct {
		name      string
		db, cache map[string]any
		want      string
	}{
		{"tier", map[string]any{"tier": "prod"}, nil,
			db + `tier: "prod" must be "production" or "development"`},
		{"engine version", map[string]any{"engineVersion": "5.7"}, nil,
			db + `engineVersion: "5.7" is not a MySQL 8.4 version such as "8.4" or "8.4.5"`},
		{"8.0 without extended support", map[string]any{"engineVersion": "8.0"}, nil,
			db + `engineVersion: "8.0" is past the end of RDS standard support (2026-07-31) and runs only under paid RDS Extended Support; use "8.4", or set webstack:database.extendedSupport: true to accept the charges`},
		{"no rotation", map[string]any{"passwordRotationDays": 0}, nil,
			db + `passwordRotationDays: 0 must be between 1 and 90 days (SecretsManager.4)`},
		{"rotation too rare", map[string]any{"passwordRotationDays": 91}, nil,
			db + `passwordRotationDays: 91 must be between 1 and 90 days (SecretsManager.4)`},
		{"rotation application version without a patch", map[string]any{"rotationAppVersion": "1.1"}, nil,
			db + `rotationAppVersion: "1.1" is not a semantic version MAJOR.MINOR.PATCH such as "1.1.671"; the newest is ` +
				"`aws serverlessrepo get-application --application-id arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser --query Version.SemanticVersion`"},
		{"rotation application version with a v", map[string]any{"rotationAppVersion": "v1.1.671"}, nil,
			db + `rotationAppVersion: "v1.1.671" is not a semantic version MAJOR.MINOR.PATCH such as "1.1.671"; the newest is ` +
				"`aws serverlessrepo get-application --application-id arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser --query Version.SemanticVersion`"},
		{"engine version without the audit plugin", map[string]any{"engineVersion": "8.0.25", "extendedSupport": true}, nil,
			db + `engineVersion: "8.0.25" is older than 8.0.28, the first MySQL 8.0 release whose option group offers the MariaDB audit plugin (RDS.9 audit log)`},
		{"class family", map[string]any{"instanceClass": "m7g.large"}, nil,
			db + `instanceClass: "m7g.large" is not an RDS instance class such as "db.m7g.large"`},
		{"cache class as replica class", map[string]any{"replicaInstanceClass": "cache.m7g.large"}, nil,
			db + `replicaInstanceClass: "cache.m7g.large" is not an RDS instance class such as "db.m7g.large"`},
		{"performance insights on micro", map[string]any{"instanceClass": "db.t4g.micro"}, nil,
			db + `instanceClass: "db.t4g.micro" does not support Performance Insights; use a larger class or set webstack:database.performanceInsights: false`},
		{"storage too small", map[string]any{"allocatedStorage": 10, "maxAllocatedStorage": 100}, nil,
			db + `allocatedStorage: 10 must be between 20 and 65536 GiB`},
		{"autoscaling ceiling below storage", map[string]any{"maxAllocatedStorage": 50}, nil,
			db + `maxAllocatedStorage: 50 must be at least 10% above allocatedStorage (100, so 110 or more) and at most 65536 GiB`},
		{"autoscaling ceiling too close", map[string]any{"maxAllocatedStorage": 105}, nil,
			db + `maxAllocatedStorage: 105 must be at least 10% above allocatedStorage (100, so 110 or more) and at most 65536 GiB`},
		{"no replicas", map[string]any{"replicas": 0}, nil,
			db + `replicas: 0 must be between 1 and 5`},
		{"no backups", map[string]any{"backupRetentionDays": 0}, nil,
			db + `backupRetentionDays: 0 must be between 1 and 35: a MySQL read replica needs backups on its source`},
		{"backups too long", map[string]any{"backupRetentionDays": 36}, nil,
			db + `backupRetentionDays: 36 must be between 1 and 35: a MySQL read replica needs backups on its source`},
		{"backup window format", map[string]any{"backupWindow": "5pm-6pm"}, nil,
			db + `backupWindow: "5pm-6pm" is not a daily window "hh:mm-hh:mm" (UTC)`},
		{"backup window short", map[string]any{"backupWindow": "17:00-17:20"}, nil,
			db + `backupWindow: "17:00-17:20" must be at least 30 minutes long`},
		{"maintenance window format", map[string]any{"maintenanceWindow": "sunday 19:00"}, nil,
			db + `maintenanceWindow: "sunday 19:00" is not a weekly window "ddd:hh:mm-ddd:hh:mm" (UTC), e.g. "sun:18:00-sun:19:00"`},
		{"windows overlap", map[string]any{"backupWindow": "19:30-20:30"}, nil,
			db + `backupWindow: "19:30-20:30" overlaps webstack:database.maintenanceWindow "sat:19:00-sat:20:00"`},
		{"windows overlap across midnight", map[string]any{"backupWindow": "23:30-00:30", "maintenanceWindow": "sun:00:00-sun:01:00"}, nil,
			db + `backupWindow: "23:30-00:30" overlaps webstack:database.maintenanceWindow "sun:00:00-sun:01:00"`},
		{"default port", map[string]any{"port": 3306}, nil,
			db + `port: 3306 is MySQL's default port; pick another (RDS.23), e.g. 3307`},
		{"port range", map[string]any{"port": 80}, nil,
			db + `port: 80 must be between 1150 and 65535`},
		{"default user", map[string]any{"username": "admin"}, nil,
			db + `username: "admin" is a default or reserved user name; pick a custom one (RDS.25)`},
		{"bad user", map[string]any{"username": "web-admin"}, nil,
			db + `username: "web-admin" must be 1 to 16 letters, digits or underscores, starting with a letter`},
		{"bad db name", map[string]any{"dbName": "1app"}, nil,
			db + `dbName: "1app" must be 1 to 64 letters, digits or underscores, starting with a letter`},
		{"log retention", map[string]any{"logRetentionDays": 10}, nil,
			db + `logRetentionDays: 10 is not a retention CloudWatch Logs accepts (` + joinInts(logRetentions) + `)`},
		{"monitoring interval", map[string]any{"monitoringInterval": 20}, nil,
			db + `monitoringInterval: 20 must be one of 0, 1, 5, 10, 15, 30, 60 seconds`},
		{"prod without deletion protection", map[string]any{"deletionProtection": false}, nil,
			db + `deletionProtection: false turns off deletion protection (RDS.8); a production tier needs webstack:database.exceptions.deletionProtection set to the reason`},
		{"prod with short backups", map[string]any{"backupRetentionDays": 6}, nil,
			db + `backupRetentionDays: 6 keeps backups for less than 7 days (RDS.11); a production tier needs webstack:database.exceptions.backupRetention set to the reason`},
		{"prod single-AZ", map[string]any{"multiAz": false}, nil,
			db + `multiAz: false leaves the writer in a single AZ (RDS.5); a production tier needs webstack:database.exceptions.multiAz set to the reason`},
		{"prod without final snapshot", map[string]any{"finalSnapshot": false}, nil,
			db + `finalSnapshot: false deletes the writer without a final snapshot; a production tier needs webstack:database.exceptions.finalSnapshot set to the reason`},
		{"prod without protect", map[string]any{"protect": false}, nil,
			db + "protect: false lets `pulumi destroy` delete the database; a production tier needs webstack:database.exceptions.protect set to the reason"},
		{"prod without enhanced monitoring", map[string]any{"monitoringInterval": 0}, nil,
			db + `monitoringInterval: 0 turns off enhanced monitoring (RDS.6); a production tier needs webstack:database.exceptions.enhancedMonitoring set to the reason`},
		{"empty exception is no exception", map[string]any{"deletionProtection": false, "exceptions": map[string]any{"deletionProtection": ""}}, nil,
			db + `deletionProtection: false turns off deletion protection (RDS.8); a production tier needs webstack:database.exceptions.deletionProtection set to the reason`},
		{"unknown exception", map[string]any{"exceptions": map[string]any{"deletion": "x"}}, nil,
			db + `exceptions.deletion: unknown key (valid keys: deletionProtection, backupRetention, multiAz, finalSnapshot, protect, enhancedMonitoring)`},
		{"engine version as a number", map[string]any{"engineVersion": 8.0}, nil,
			db + `engineVersion: 8 must be a string (put it in quotes)`},

		{"cache tier", nil, map[string]any{"tier": "staging"},
			cache + `tier: "staging" must be "production" or "development"`},
		{"cache engine", nil, map[string]any{"engine": "memcached"},
			cache + `engine: "memcached" must be "redis" or "valkey"`},
		{"redis version", nil, map[string]any{"engineVersion": "5.0.6"},
			cache + `engineVersion: "5.0.6" is not a redis version ElastiCache offers with TLS, AUTH and transitEncryptionMode, which needs Redis OSS 7.0.5 or later (7.0, 7.1)`},
		{"redis 6.2", nil, map[string]any{"engineVersion": "6.2"},
			cache + `engineVersion: "6.2" is not a redis version ElastiCache offers with TLS, AUTH and transitEncryptionMode, which needs Redis OSS 7.0.5 or later (7.0, 7.1)`},
		{"valkey version", nil, map[string]any{"engine": "valkey", "engineVersion": "7.0"},
			cache + `engineVersion: "7.0" is not a valkey version such as "7.2" or "8.0"`},
		{"node type family", nil, map[string]any{"nodeType": "db.m7g.large"},
			cache + `nodeType: "db.m7g.large" is not an ElastiCache node type such as "cache.t4g.small"`},
		{"too many nodes", nil, map[string]any{"nodes": 7},
			cache + `nodes: 7 must be between 1 and 6 (one primary and up to 5 replicas)`},
		{"failover with one node", nil, map[string]any{"nodes": 1, "tier": "development"},
			cache + `multiAz: true needs at least 2 nodes for automatic failover; set webstack:cache.nodes to 2 or more`},
		{"no snapshots", nil, map[string]any{"snapshotRetentionDays": 0},
			cache + `snapshotRetentionDays: 0 must be between 1 and 35 (ElastiCache.1)`},
		{"snapshot window short", nil, map[string]any{"snapshotWindow": "18:00-18:30"},
			cache + `snapshotWindow: "18:00-18:30" must be at least 60 minutes long`},
		{"cache windows overlap", nil, map[string]any{"snapshotWindow": "20:30-21:30"},
			cache + `snapshotWindow: "20:30-21:30" overlaps webstack:cache.maintenanceWindow "sat:20:00-sat:21:00"`},
		{"cache maintenance short", nil, map[string]any{"maintenanceWindow": "sat:20:00-sat:20:30"},
			cache + `maintenanceWindow: "sat:20:00-sat:20:30" must be at least 60 minutes long`},
		{"cache port", nil, map[string]any{"port": 80},
			cache + `port: 80 must be between 1024 and 65535`},
		{"same port as the database", nil, map[string]any{"port": 3307},
			cache + `port: 3307 is also webstack:database.port; the two tiers need different ports`},
		{"cache log retention", nil, map[string]any{"logRetentionDays": 2},
			cache + `logRetentionDays: 2 is not a retention CloudWatch Logs accepts (` + joinInts(logRetentions) + `)`},
		{"prod cache without failover", nil, map[string]any{"multiAz": false},
			cache + `multiAz: false leaves the cache without automatic failover (ElastiCache.3); a production tier needs webstack:cache.exceptions.multiAz set to the reason`},
		{"prod cache without protect", nil, map[string]any{"protect": false},
			cache + "protect: false lets `pulumi destroy` delete the cache; a production tier needs webstack:cache.exceptions.protect set to the reason"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			values := dataValues(t, with(prodDatabase(), tc.db), with(prodCache(), tc.cache))
			_, err := LoadConfig("webstack", "prod", values)
			if err == nil {
				t.Fatalf("database %v, cache %v: accepted, want %q", tc.db, tc.cache, tc.want)
			}
			if got := err.Error(); got != tc.want {
				t.Fatalf("database %v, cache %v:\n got %q\nwant %q", tc.db, tc.cache, got, tc.want)
			}
		})
	}
}

func TestDataRelaxations(t *testing.T) {
	dev := with(prodDatabase(), map[string]any{"tier": "development", "deletionProtection": false, "backupRetentionDays": 1})
	prod := with(prodDatabase(), map[string]any{"deletionProtection": false, "exceptions": map[string]any{"deletionProtection": "migration window, OPS-42"}})
	devCache := with(prodCache(), map[string]any{"tier": "development", "nodes": 1, "multiAz": false})
	for _, tc := range []struct {
		name      string
		db, cache map[string]any
		want      []string
	}{
		{"production without exceptions", prodDatabase(), prodCache(), nil},
		{"development", dev, devCache, []string{
			"RDS.8=webstack:database.deletionProtection",
			"RDS.11=webstack:database.backupRetentionDays",
			"ElastiCache.3=webstack:cache.multiAz",
		}},
		{"production exception", prod, prodCache(), []string{
			"RDS.8=webstack:database.exceptions.deletionProtection (migration window, OPS-42)",
		}},
		{"AUTH token rotation", prodDatabase(), with(prodCache(), map[string]any{"exceptions": map[string]any{"authTokenRotation": "manual"}}), []string{
			"SecretsManager.1=webstack:cache.exceptions.authTokenRotation (manual)",
			"SecretsManager.4=webstack:cache.exceptions.authTokenRotation (manual)",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := LoadConfig("webstack", "x", dataValues(t, tc.db, tc.cache))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range cfg.DataRelaxations() {
				s := r.Check + "=" + r.Key
				if r.Reason != "" {
					s += " (" + r.Reason + ")"
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("relaxations:\n got %s\nwant %s", strings.Join(got, "; "), strings.Join(tc.want, "; "))
			}
		})
	}
}

func TestWindows(t *testing.T) {
	for _, tc := range []struct {
		daily, weekly string
		overlap       bool
	}{
		{"17:00-18:00", "sat:19:00-sat:20:00", false},
		{"17:00-18:00", "sat:18:00-sat:19:00", false}, // touching is not overlapping
		{"17:00-18:00", "wed:17:59-wed:19:00", true},
		{"23:30-00:30", "mon:00:15-mon:01:00", true},
		{"22:00-23:00", "sat:23:30-sun:00:30", false},
		{"23:30-00:30", "sat:23:45-sun:01:00", true}, // week wrap
	} {
		d, err := parseDailyWindow(tc.daily)
		if err != nil {
			t.Fatalf("%s: %v", tc.daily, err)
		}
		w, err := parseWeeklyWindow(tc.weekly)
		if err != nil {
			t.Fatalf("%s: %v", tc.weekly, err)
		}
		if got := d.overlaps(w); got != tc.overlap {
			t.Errorf("daily %s vs weekly %s: overlap %v, want %v", tc.daily, tc.weekly, got, tc.overlap)
		}
	}
	for _, bad := range []string{"", "17:00", "24:00-01:00", "17:60-18:00", "+1:00-02:00", "17:00-17:00"} {
		if _, err := parseDailyWindow(bad); err == nil {
			t.Errorf("daily window %q accepted", bad)
		}
	}
	for _, bad := range []string{"", "sun:18:00", "sunday:18:00-sunday:19:00", "sun:18:00-sun:18:00", "sun:25:00-mon:01:00"} {
		if _, err := parseWeeklyWindow(bad); err == nil {
			t.Errorf("weekly window %q accepted", bad)
		}
	}
}
