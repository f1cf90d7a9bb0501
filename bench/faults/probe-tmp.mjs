import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb, startPostgres } from '@seedline/testkit';
const pg = await startPostgres('probe');
const ferret = await startFerretDb('probe', { postgresUrl: pg.url });
const c = await MongoClient.connect(`${ferret.base}/probe`, { serverSelectionTimeoutMS: 3000 });
await c.db().collection('t').insertOne({ a: 1 });
console.log('ok insert');
const dir = join(process.cwd(), '.run', 'faults', `pg-probe-${pg.port}`);
const data = readFileSync(join(dir, 'datadir'), 'utf8').trim();
execFileSync('runuser', ['-u', 'postgres', '--', '/usr/lib/postgresql/15/bin/pg_ctl', '-D', data, '-m', 'fast', 'stop']);
console.log('pg stopped');
for (const op of [() => c.db().collection('t').insertOne({ a: 2 }), () => c.db().collection('t').findOne({}), () => c.db().admin().command({ ping: 1 })]) {
  const t = Date.now();
  try { await op(); console.log('no error'); } catch (e) { console.log(Date.now() - t, 'ms', e.constructor.name, e.code, e.codeName, e.message.slice(0, 200), JSON.stringify(e.errorLabels ?? e.errorLabelSet ? [...(e.errorLabelSet ?? [])] : [])); }
}
await ferret.stop();
try { await c.db().collection('t').insertOne({ a: 3 }); } catch (e) { console.log('ferret down:', e.constructor.name, e.code, e.message.slice(0, 150)); }
await c.close();
execFileSync('runuser', ['-u', 'postgres', '--', '/usr/lib/postgresql/15/bin/pg_ctl', '-D', data, '-w', 'start', '-l', join(dirname(data), 'log')].filter(Boolean));
await pg.remove();
import { dirname } from 'node:path';
