// The layers of src/ (docs/architecture.md "Layers"): an import may point to its own layer or
// a lower one, never up. `npm run lint` runs this; a violation fails it (and CI).
//
//   entry        app.ts, main.ts, worker.ts, serve.ts, run-worker.ts, boot.ts, demo/, cli/
//                                                             builds the program from the rest
//   http         *-routes.ts, http/, documents/receive-upload.ts
//   application  every other file of a feature folder       use cases, queries, presenters
//   data         *-repository.ts, db/, storage/, deps.ts, config.ts, clock.ts
//   domain       domain/, lib/                              pure: no I/O, no framework
const feature = '^src/(?!domain/|lib/|db/|storage/|http/)[^/]+/';
const layer = {
  entry: '^src/(app|main|worker|serve|run-worker|boot)[.]ts$|^src/(demo|cli)/',
  http: '^src/http/|-routes[.]ts$|^src/documents/receive-upload[.]ts$',
  data: '^src/(db|storage)/|-repository[.]ts$|^src/(deps|config|clock)[.]ts$',
  domain: '^src/(domain|lib)/',
};
const tests = '[.]test[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ and lib/ import nothing of the program but each other.',
      severity: 'error',
      from: { path: layer.domain, pathNot: tests },
      to: { path: '^src/', pathNot: layer.domain },
    },
    {
      name: 'data-below-application',
      comment:
        'Repositories, the database, storage and settings never import use cases, HTTP or entry points.',
      severity: 'error',
      from: { path: layer.data, pathNot: tests },
      to: { path: '^src/', pathNot: `${layer.data}|${layer.domain}` },
    },
    {
      name: 'application-below-http',
      comment: 'Use cases, queries and presenters never import routes, http/ or entry points.',
      severity: 'error',
      from: { path: feature, pathNot: `${layer.http}|${layer.data}|${layer.entry}|${tests}` },
      to: { path: `${layer.http}|${layer.entry}` },
    },
    {
      name: 'http-below-entry',
      comment: 'Routes and http/ never import the entry points (app.ts, main.ts, worker.ts, demo/, cli/...).',
      severity: 'error',
      from: { path: layer.http, pathNot: tests },
      to: { path: layer.entry },
    },
    {
      name: 'shared-http-knows-no-feature',
      comment: 'http/ serves every feature: what it needs of one is passed in (e.g. the Authenticator).',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: feature },
    },
    {
      name: 'sql-only-in-repositories',
      comment: 'Kysely and the database drivers are imported by src/db/ and *-repository.ts only.',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/db/|-repository[.]ts$|${tests}` },
      to: { path: 'node_modules/(kysely|kysely-pglite-dialect|pg|@electric-sql/pglite)/' },
    },
    {
      name: 'no-fastify-below-http',
      comment: 'Only routes, http/ and the entry points know the HTTP framework.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${layer.http}|${layer.entry}|${tests}` },
      to: { path: 'node_modules/(fastify|@fastify/[^/]+|fastify-type-provider-zod)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes the order of layers meaningless.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
