// A driver adapter factory that never connects, for diffs between two schema files (or a schema
// file and "empty"), which need no database.
//
// The wasm engine opens its connection as soon as it is constructed and runs one probe query (is
// the schema there, which server version, is it CockroachDB). The native engine needs no database
// for such a diff, and `prisma migrate diff --from-empty --to-schema ...` is expected to work with
// no reachable database (CI, fresh checkouts). This factory answers that probe as a PostgreSQL
// server and fails anything else as unreachable, so a diff that does need a database still
// reports a connection error instead of a wrong answer.

import { ColumnTypeEnum, DriverAdapterError } from "@prisma/driver-adapter-utils";

/** The server version reported for offline diffs: the oldest PostgreSQL this project runs on. */
const OFFLINE_VERSION_NUM = 150000;

const PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/;

/** @param {string} sql */
function unreachable(sql) {
  return new DriverAdapterError({
    kind: "DatabaseNotReachable",
    host: "(offline)",
    port: 0,
    originalMessage: `No database is used for this diff; query not run: ${sql.slice(0, 80)}`,
  });
}

export function createOfflineAdapterFactory() {
  const adapter = {
    provider: /** @type {const} */ ("postgres"),
    adapterName: "@prisma/adapter-pg",
    /** @param {{ sql: string }} query */
    async queryRaw({ sql }) {
      if (PROBE.test(sql)) {
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, `PostgreSQL ${OFFLINE_VERSION_NUM / 10000} (offline: no database connection)`, OFFLINE_VERSION_NUM]],
        };
      }
      throw unreachable(sql);
    },
    /** @param {{ sql: string }} query */
    async executeRaw({ sql }) {
      throw unreachable(sql);
    },
    /** @param {string} script */
    async executeScript(script) {
      throw unreachable(script);
    },
    async startTransaction() {
      throw unreachable("BEGIN");
    },
    getConnectionInfo() {
      return { supportsRelationJoins: true };
    },
    async dispose() {},
  };
  return {
    provider: /** @type {const} */ ("postgres"),
    adapterName: "@prisma/adapter-pg",
    async connect() {
      return adapter;
    },
    async connectToShadowDb() {
      return adapter;
    },
  };
}

/**
 * Whether a `diff` request involves no database: both sides are "empty" or schema files.
 * (`schemaDatasource`, `url` and `migrations` need the database or a shadow database.)
 * @param {any} params
 */
export function isOfflineDiff(params) {
  const offline = (/** @type {any} */ t) => t?.tag === "empty" || t?.tag === "schemaDatamodel";
  return offline(params?.from) && offline(params?.to);
}
