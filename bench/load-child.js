// autocannon in a process of its own (see load() in lib.js): reads its options as JSON from stdin,
// prints the figures as JSON. `paths` (optional) are requested in turn, one per request.
const autocannon = require('autocannon');

function run({ paths, ...opts }) {
  let n = 0;
  const requests = paths && [{ method: opts.method || 'GET', setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }) }];
  return new Promise((resolve, reject) => {
    // With `amount`, autocannon notices the end only on its one-second tick and averages whole
    // seconds, so the rate is taken from the clock here: first request to last response.
    const started = process.hrtime.bigint();
    let responses = 0;
    let lastAt = started;
    const instance = autocannon({ duration: 10, connections: 50, pipelining: 1, ...opts, ...(requests ? { requests } : {}) }, (err, r) => {
      if (err) return reject(err);
      const seconds = Number(lastAt - started) / 1e9;
      const rps = opts.amount && seconds > 0 ? responses / seconds : r.requests.average;
      resolve({ rps: Math.round(rps), total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
    });
    instance.on('response', () => {
      responses++;
      lastAt = process.hrtime.bigint();
    });
  });
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
