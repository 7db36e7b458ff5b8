// autocannon in a process of its own (see load() in lib.js): reads its options as JSON from stdin,
// prints the figures as JSON. `paths` (optional) are requested in turn, one per request.
const autocannon = require('autocannon');

async function run({ paths, ...opts }) {
  let n = 0;
  const requests = paths && [{ method: opts.method || 'GET', setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }];
  const r = await autocannon({ duration: 10, connections: 50, pipelining: 1, ...opts, ...(requests ? { requests } : {}) });
  return { rps: Math.round(r.requests.average), total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

let input = '';
process.stdin
  .setEncoding('utf8')
  .on('data', (c) => (input += c))
  .on('end', () =>
    run(JSON.parse(input)).then(
      (figures) => process.stdout.write(JSON.stringify(figures)),
      (err) => {
        process.stderr.write(`${err.stack}\n`);
        process.exit(1);
      },
    ),
  );
