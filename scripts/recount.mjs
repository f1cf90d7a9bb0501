#!/usr/bin/env node
/**
 * `npm run recount [-- --check] [-- --campaign <id> ...]`: compares every campaign's stage counters (or the
 * named ones') with the influencer documents and repairs drift, as the worker's periodic recount job does.
 * Drift is printed as an error line per campaign. With --check nothing is repaired and the exit status is 1
 * when any campaign drifted; a named campaign that does not exist is an error line and exit status 2. Needs a build (`npm run build`) and MONGO_URL (default the local database).
 */
import { connectMongo, createRepositories } from '@seedline/db';

const args = process.argv.slice(2);
const check = args.includes('--check');
const named = args.flatMap((a, i) => (args[i - 1] === '--campaign' ? [a] : []));
const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/seedline';

const conn = await connectMongo(url);
let drifted = 0;
try {
  const repos = createRepositories(conn);
  const known = await repos.campaignIds();
  // A mistyped id would otherwise be recounted as an empty campaign and reported "ok".
  const unknown = named.filter((id) => !known.includes(id));
  if (unknown.length) {
    console.error(`no such campaign: ${unknown.join(', ')}`);
    process.exitCode = 2;
  }
  const ids = named.length ? named.filter((id) => known.includes(id)) : known;
  for (const campaignId of ids) {
    const r = await repos.recount(campaignId, { repair: !check });
    const line = {
      campaignId,
      measured: r.measured,
      drift: r.drift,
      miscounted: r.miscounted,
      swept: r.swept,
      repaired: r.repaired,
      counters: r.counters,
      documents: r.documents,
    };
    if (!r.measured) console.error(`WARN  counters kept moving while measured; not compared: ${JSON.stringify(line)}`);
    else if (Object.keys(r.drift).length || r.miscounted) {
      drifted++;
      console.error(
        `ERROR stage counters drifted from the documents${r.repaired ? '; repaired' : ''}: ${JSON.stringify(line)}`,
      );
    } else console.log(`ok    ${JSON.stringify({ campaignId, counters: r.counters, swept: r.swept })}`);
  }
  console.log(
    `${ids.length} campaign(s) recounted, ${drifted} drifted${check ? ' (check only, nothing repaired)' : ''}`,
  );
} finally {
  await conn.close();
}
process.exit(process.exitCode ?? (check && drifted ? 1 : 0));
