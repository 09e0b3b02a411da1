// Node module hooks for the e2e runner (jest-light-runner), which loads each spec file with `import()`.
// Node's ESM loader does not know `.ts`: our sources are CommonJS TypeScript, so a project `.ts` file is handed to
// the CommonJS loader, where @swc-node/register's require hook compiles it (tsconfig's paths, decorator metadata).
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && /\.ts(\?|$)/.test(url) && !url.includes('/node_modules/')) {
    return { format: 'commonjs', source: null, shortCircuit: true };
  }
  return nextLoad(url, context);
}
