// Runs graphql-http's server audits (the GraphQL-over-HTTP specification's
// reference suite) against the /graphql URL given as the first argument,
// one at a time, and prints every result as one JSON array on stdout.
// TestGraphQLOverHTTPAudit (audit_test.go) runs it and judges the results;
// graphql-http comes from web/node_modules, named by the second argument,
// since this script lives outside the npm project.
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, webDir] = process.argv.slice(2);
if (!url || !webDir) {
  console.error('usage: node graphql-http-audit.mjs GRAPHQL_URL WEB_DIR');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(webDir), 'package.json'));
const { serverAudits } = require('graphql-http');

const results = [];
// One at a time: the order of the answers then matches the server's log,
// and the audit never races the server's rate limits.
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  try {
    const r = await audit.fn();
    const out = { id: r.id, name: r.name, status: r.status };
    if (r.status !== 'ok') {
      out.reason = String(r.reason);
      out.httpStatus = r.response.status;
      out.contentType = r.response.headers.get('content-type');
      // The body may have been read by the failing assertion already.
      out.body = r.response.bodyUsed ? '' : (await r.response.text()).slice(0, 500);
    }
    results.push(out);
  } catch (e) {
    // graphql-http throws, instead of failing the audit, on what it
    // cannot judge at all (a refused connection, a body that is not JSON
    // where it expects one).
    results.push({ id: audit.id, name: audit.name, status: 'fatal', reason: String(e && e.stack ? e.stack : e) });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
