/**
 * The modules a plain Node process loads for an import: the helper of @celonis-auth/test-utils (the server's
 * redis entry test uses it too), re-exported so the packaging tests keep one import for both helpers.
 */
export { modulesLoadedBy } from '@celonis-auth/test-utils';

/** Whether `url` is a file of the npm package `name`, wherever it is installed (pnpm's store included). */
export function isFromPackage(url: string, name: string): boolean {
  return url.includes(`/node_modules/${name}/`);
}
