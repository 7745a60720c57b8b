/**
 * `node --import ./test/support/module-log.mjs …`: prints to stderr every file the process loads as an ES module
 * (`ihasim-load <url>`) and, at exit, the Node built-ins it loaded (`ihasim-builtins <names>`). Used to check that
 * a command loads only what it needs.
 */
import { register } from 'node:module';

const hook = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process._rawDebug('ihasim-load ' + url);
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/'));
  process._rawDebug(`ihasim-builtins ${builtins.map((m) => m.slice('NativeModule '.length)).join(' ')}`);
});
