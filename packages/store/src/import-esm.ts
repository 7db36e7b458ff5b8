import vm from 'vm';
import { pathToFileURL } from 'url';

/**
 * import() of an ES-module-only package from this CommonJS code. Plain Node does it natively;
 * test runners that sandbox CommonJS in a vm context (jest without --experimental-vm-modules)
 * cannot, so there the import is handed to Node's own loader in the main context.
 */
export async function importEsm<T>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if (!mainLoader) throw err;
    const viaNode = vm.runInThisContext('(url) => import(url)', { importModuleDynamically: mainLoader as never }) as (url: string) => Promise<T>;
    return viaNode(pathToFileURL(require.resolve(specifier)).href);
  }
}
