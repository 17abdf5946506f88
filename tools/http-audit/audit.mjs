// Runs the graphql-http audit of the GraphQL-over-HTTP specification against a live Sett gateway.
//
//   node audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one JSON object: the count of each status (ok, notice, warn, error) and every result that is not ok,
// with its reason and the answer the gateway gave. Exits 1 when any result is a warning or an error
// (a failed SHOULD or MUST); notices are failed MAYs, which Sett declines on purpose (queries over GET).
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs <url of /graphql>");
  process.exit(2);
}

async function bodyOf(response) {
  try {
    return (await response.text()).slice(0, 500);
  } catch (error) {
    return `(body not readable: ${error})`;
  }
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const failures = [];
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== "ok") {
    const response = result.response;
    failures.push({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.reason,
      answer: {
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: await bodyOf(response),
      },
    });
  }
}
console.log(JSON.stringify({ total: results.length, counts, failures }, null, 2));
process.exit(counts.warn + counts.error > 0 ? 1 : 0);
