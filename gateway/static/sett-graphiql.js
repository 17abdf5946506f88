// Sett's GraphiQL page: GraphiQL, React and ReactDOM are the bundles Sett serves itself (gateway/graphiql.py).
"use strict";
(function () {
  const mount = document.getElementById("graphiql");
  if (typeof GraphiQL === "undefined" || typeof React === "undefined" || typeof ReactDOM === "undefined") {
    mount.textContent =
      "GraphiQL's files did not load. Install them with `make graphiql` (or `make run`) and reload this page.";
    return;
  }
  const config = JSON.parse(document.getElementById("sett-graphiql-config").textContent);
  const send = GraphiQL.createFetcher({ url: config.url });

  // A header whose value still holds a <placeholder> of the hint is not sent: the gateway then answers what it
  // needs (UNAUTHENTICATED, PURPOSE_REQUIRED), and a placeholder is never recorded as a stated purpose.
  function filledIn(headers) {
    const kept = {};
    for (const [name, value] of Object.entries(headers || {})) {
      if (!(typeof value === "string" && /<[^<>]*>/.test(value))) {
        kept[name] = value;
      }
    }
    return kept;
  }

  function fetcher(params, options) {
    return send(params, Object.assign({}, options, { headers: filledIn(options && options.headers) }));
  }

  ReactDOM.createRoot(mount).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.query,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
    }),
  );
})();
