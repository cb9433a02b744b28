// `pnpm changeset`: @changesets/cli 3's own bin calls node:module's enableCompileCache(), which Node 20
// lacks (the package asks for Node 22.11+); its CLI runs on Node 20, so this starts it without that call.
await import('@changesets/cli');
