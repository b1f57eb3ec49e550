// Parquet interop between localmode and DuckDB, both ways:
//   (a) localmode writes files of every type and codec (interop_parquet
//       write); DuckDB reads each one and must see the same column names,
//       the DuckDB types Spark's Parquet mapping implies, and the same rows;
//   (b) DuckDB writes files with COPY ... (FORMAT PARQUET) over several
//       codecs, format versions (v2 pages and DELTA encodings) and types;
//       localmode reads each (interop_parquet read) and must derive the
//       schema Spark would and the rows DuckDB reads back itself.
// Values are compared in the canonical form interop_parquet.c prints.
// Usage: node duckdb_interop.mjs <interop_parquet binary> <work dir>
// Prints "N passed, M failed"; exits non-zero on any failure.
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [helper, work] = process.argv.slice(2);
if (!helper || !work) {
  console.error('usage: node duckdb_interop.mjs <interop_parquet> <work dir>');
  process.exit(2);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`);
  }
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// DuckDB's JS values -> the canonical form.
function canon(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return String(v);
    case 'number': return v;
    case 'string': return v;
    default: break;
  }
  const cls = v.constructor && v.constructor.name;
  if (cls === 'DuckDBDecimalValue') return v.toString();
  if (cls === 'DuckDBDateValue') return String(v.days);
  if ('micros' in v) return String(v.micros);
  if ('nanos' in v) return String(v.nanos / 1000n);
  if ('millis' in v) return String(v.millis * 1000n);
  if (cls === 'DuckDBBlobValue') return hex(v.bytes);
  if (cls === 'DuckDBListValue' || cls === 'DuckDBArrayValue') return v.items.map(canon);
  if (cls === 'DuckDBStructValue') return Object.values(v.entries).map(canon);
  if (cls === 'DuckDBMapValue') return v.entries.map((e) => [canon(e.key), canon(e.value)]);
  return v.toString();
}

// Integer-valued columns arrive as JS numbers from DuckDB (INTEGER etc.)
// but as strings from localmode; floats are numbers on both sides.
function same(a, b, floating) {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i], floating));
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  }
  return String(a) === String(b);
}

function firstDiff(got, want) {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (!same(got[i] ?? null, want[i] ?? null)) {
      return `row ${i}: got ${JSON.stringify(got[i], (k, x) => (typeof x === 'bigint' ? String(x) : x))}` +
        ` want ${JSON.stringify(want[i])}`;
    }
  }
  return `row counts ${got.length} vs ${want.length}`;
}

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run("SET TimeZone = 'UTC'");

async function duckRead(file) {
  const r = await con.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
  return {
    names: r.columnNames(),
    types: r.columnTypes().map((t) => t.toString()),
    rows: r.getRows().map((row) => row.map(canon)),
  };
}

// ---------------------------------------------- (a) localmode -> DuckDB
execFileSync(helper, ['write', work], { stdio: ['ignore', 'inherit', 'inherit'] });
const written = ['all_none', 'all_snappy', 'all_gzip', 'all_zstd', 'all_micros', 'all_plain', 'big'];
for (const base of written) {
  const file = join(work, `${base}.parquet`);
  const want = JSON.parse(readFileSync(`${file}.expected.json`, 'utf8'));
  let got;
  try {
    got = await duckRead(file);
  } catch (e) {
    check(`duckdb reads localmode ${base}`, false, String(e));
    continue;
  }
  check(`duckdb reads localmode ${base}: column names`,
    JSON.stringify(got.names) === JSON.stringify(want.names), `${got.names} vs ${want.names}`);
  const typeDiff = got.types.map((t, i) => (t === want.types[i] ? null : `${got.names[i]}: ${t} vs ${want.types[i]}`))
    .filter((x) => x);
  check(`duckdb reads localmode ${base}: types`, typeDiff.length === 0, typeDiff.join('; '));
  const rowsOk = got.rows.length === want.rows.length && got.rows.every((r, i) => same(r, want.rows[i]));
  check(`duckdb reads localmode ${base}: ${want.rows.length} rows`, rowsOk,
    rowsOk ? '' : firstDiff(got.rows, want.rows));
}

// ---------------------------------------------- (b) DuckDB -> localmode
const FLAT = `
SELECT
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i % 100)::TINYINT END AS t8,
  CASE WHEN i % 10 = 3 THEN NULL ELSE ((i * 7) % 30000)::SMALLINT END AS t16,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i * 1000)::INTEGER END AS i32,
  CASE WHEN i % 10 = 3 THEN NULL ELSE i * 1000000000000 END AS i64,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i / 3)::FLOAT END AS f,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i / 7)::DOUBLE END AS d,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i * 1.25)::DECIMAL(7,2) END AS d7,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i * 123456.789)::DECIMAL(18,3) END AS d18,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i::DECIMAL(38,4) * 100000000000000000000) END AS d38,
  CASE WHEN i % 10 = 3 THEN NULL ELSE 'str' || (i % 17) END AS s,
  CASE WHEN i % 10 = 3 THEN NULL ELSE ('b' || i)::BLOB END AS b,
  CASE WHEN i % 10 = 3 THEN NULL ELSE DATE '2020-01-01' + i::INTEGER END AS dt,
  CASE WHEN i % 10 = 3 THEN NULL ELSE TIMESTAMP '2020-01-01 00:00:00.123456' + INTERVAL (i) SECOND END AS ts,
  CASE WHEN i % 10 = 3 THEN NULL ELSE TIMESTAMPTZ '2020-01-01 00:00:00+00' + INTERVAL (i) MINUTE END AS tstz,
  CASE WHEN i % 10 = 3 THEN NULL ELSE i % 2 = 0 END AS bool,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (i % 200)::UTINYINT END AS u8,
  CASE WHEN i % 10 = 3 THEN NULL ELSE ((i * 11) % 60000)::USMALLINT END AS u16,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (4000000000 + i)::UINTEGER END AS u32,
  CASE WHEN i % 10 = 3 THEN NULL ELSE (18000000000000000000 + i)::UBIGINT END AS u64
FROM range(0, N) t(i)`;
const FLAT_SCHEMA = 'struct<t8:tinyint,t16:smallint,i32:int,i64:bigint,f:float,d:double,' +
  'd7:decimal(7,2),d18:decimal(18,3),d38:decimal(38,4),s:string,b:binary,dt:date,' +
  'ts:timestamp_ntz,tstz:timestamp,bool:boolean,u8:smallint,u16:int,u32:bigint,u64:decimal(20,0)>';

const NESTED = `
SELECT
  i AS id,
  CASE WHEN i % 4 = 0 THEN NULL ELSE [i, NULL, i + 1] END AS li,
  CASE WHEN i % 5 = 0 THEN NULL ELSE {'a': i, 'b': 'x' || i, 'c': [i]} END AS st,
  CASE WHEN i % 3 = 0 THEN NULL ELSE MAP {'k' || i: i, 'z': NULL} END AS mp,
  [[i], [], NULL] AS ll,
  [{'p': i}, NULL] AS ls,
  CASE WHEN i % 6 = 0 THEN [] ELSE ['s' || i] END AS ls2
FROM range(0, N) t(i)`;
const NESTED_SCHEMA = 'struct<id:bigint,li:array<bigint>,st:struct<a:bigint,b:string,c:array<bigint>>,' +
  'mp:map<string,bigint>,ll:array<array<bigint>>,ls:array<struct<p:bigint>>,ls2:array<string>>';

const cases = [];
for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']) {
  cases.push({ name: `flat_${codec.toLowerCase()}`, sql: FLAT, n: 500, opts: `COMPRESSION ${codec}`, schema: FLAT_SCHEMA });
  cases.push({ name: `nested_${codec.toLowerCase()}`, sql: NESTED, n: 200, opts: `COMPRESSION ${codec}`, schema: NESTED_SCHEMA });
}
// format v2: data page v2, DELTA_BINARY_PACKED / DELTA_LENGTH_BYTE_ARRAY /
// BYTE_STREAM_SPLIT where DuckDB picks them; several row groups
cases.push({ name: 'flat_v2_zstd', sql: FLAT, n: 20000, opts: 'COMPRESSION ZSTD, PARQUET_VERSION V2, ROW_GROUP_SIZE 4096', schema: FLAT_SCHEMA });
cases.push({ name: 'flat_v2_snappy', sql: FLAT, n: 3000, opts: 'COMPRESSION SNAPPY, PARQUET_VERSION V2', schema: FLAT_SCHEMA });
cases.push({ name: 'nested_v2', sql: NESTED, n: 3000, opts: 'COMPRESSION SNAPPY, PARQUET_VERSION V2, ROW_GROUP_SIZE 1000', schema: NESTED_SCHEMA });
cases.push({ name: 'flat_many_groups', sql: FLAT, n: 50000, opts: 'COMPRESSION GZIP, ROW_GROUP_SIZE 5000', schema: FLAT_SCHEMA });

for (const c of cases) {
  const file = join(work, `duck_${c.name}.parquet`);
  try {
    await con.run(`COPY (${c.sql.replace('range(0, N)', `range(0, ${c.n})`)}) TO '${file}' (FORMAT PARQUET, ${c.opts})`);
  } catch (e) {
    check(`duckdb writes ${c.name}`, false, String(e));
    continue;
  }
  const want = await duckRead(file);
  const out = execFileSync(helper, ['read', file], { maxBuffer: 1 << 30 }).toString();
  const got = JSON.parse(out);
  if (got.error) {
    check(`localmode reads duckdb ${c.name}`, false, got.error);
    continue;
  }
  check(`localmode reads duckdb ${c.name}: schema`, got.schema === c.schema, `${got.schema}`);
  const rowsOk = got.rows.length === want.rows.length && got.rows.every((r, i) => same(r, want.rows[i]));
  check(`localmode reads duckdb ${c.name}: ${want.rows.length} rows`, rowsOk,
    rowsOk ? '' : firstDiff(got.rows, want.rows));
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
